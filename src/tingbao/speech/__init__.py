"""Speech text: normalisation (normalize.py and the rule modules) and chunking (chunking.py).

Shared Chinese-text knowledge lives in ..zh (punctuation, quiet jieba) and the user's
lexicon in ..lexicon.
"""
