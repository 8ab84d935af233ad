"""Errors a user can cause or act on. Only cli.py turns them into exit codes."""


class TingbaoError(Exception):
    """Base class: the message is one line a user can act on."""

    exit_code = 1


class InputError(TingbaoError):
    """The article (or another input file) cannot be used."""

    exit_code = 2


class ConfigError(TingbaoError):
    """A bad option or a broken tingbao.toml."""

    exit_code = 2
