import numpy as np
import pytest

from tingbao.engines.local.tflite_patch import flex_op_names, patch_random_uniform
from tingbao.errors import ModelFormatError


def test_rewritten_model_has_no_flex_ops_and_runs(model_dir):
    from ai_edge_litert.interpreter import Interpreter

    raw = (model_dir / "fastspeech2_quan.tflite").read_bytes()
    assert flex_op_names(raw) == ["FlexRandomUniform"]
    patched = patch_random_uniform(raw)
    assert flex_op_names(patched) == []
    assert patched[: len(raw)] != raw  # offsets were re-pointed in place
    it = Interpreter(model_content=patched, num_threads=1)
    inputs = it.get_input_details()
    ids = [1, 9, 30, 2, 7, 40, 1, 218]
    it.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
    it.allocate_tensors()
    it.set_tensor(inputs[0]["index"], np.array([ids], dtype=np.int32))
    it.set_tensor(inputs[1]["index"], np.array([0], dtype=np.int32))
    for k in (2, 3, 4):
        it.set_tensor(inputs[k]["index"], np.array([1.0], dtype=np.float32))
    it.invoke()
    mel = it.get_tensor(it.get_output_details()[1]["index"])
    assert mel.shape[0] == 1 and mel.shape[2] == 80 and mel.shape[1] > 0
    assert np.isfinite(mel).all()


def test_unflexed_model_is_returned_unchanged(model_dir):
    raw = (model_dir / "mb_melgan.tflite").read_bytes()
    assert patch_random_uniform(raw) is raw


def test_not_a_model():
    with pytest.raises(ModelFormatError):
        patch_random_uniform(b"\0" * 64)
