"""Make the Baker FastSpeech2 model runnable by plain LiteRT.

The acoustic model holds two ``FlexRandomUniform`` custom ops (dropout on the f0 and
energy embeddings, left active at inference by its authors).  LiteRT has no Flex
delegate, but it has a builtin ``RANDOM_UNIFORM`` with the same semantics, so we
rewrite the operator-code table to point those ops at the builtin.

Written by hand because no maintained library edits a TFLite FlatBuffer in place
without TensorFlow (the generated ``schema_py_generated`` object API re-serialises
the whole 16 MB model, which is slow and copies every weight buffer).

FlatBuffer offsets (``uoffset_t``) are unsigned and point forward only, so we never
move anything: new objects are appended at the end of the buffer and the few
offsets that must change are re-pointed in place.

- ``Model.operator_codes`` gets a fresh vector of fresh ``OperatorCode`` tables
  (copies of the originals, Flex ones turned into ``RANDOM_UNIFORM``: builtin code
  148, which needs ``deprecated_builtin_code = 127``, the placeholder, and
  ``builtin_code = 148``; LiteRT reads the larger of the two).
- Each operator that used a Flex code is replaced in its subgraph's ``operators``
  vector by a fresh ``Operator`` whose ``RandomOptions`` carry a fixed seed, so the
  same phone sequence always gives the same audio.
"""

from __future__ import annotations

import struct

from ...errors import ModelFormatError

FLEX_RANDOM_UNIFORM = "FlexRandomUniform"
CUSTOM = 32  # BuiltinOperator.CUSTOM
PLACEHOLDER_FOR_GREATER_OP_CODES = 127
RANDOM_UNIFORM = 148
RANDOM_OPTIONS = 114  # BuiltinOptions.RandomOptions

# Field ids from tensorflow/lite/schema/schema.fbs (a union takes two ids: type, value).
_MODEL_OPERATOR_CODES = 1
_MODEL_SUBGRAPHS = 2
_OPCODE_DEPRECATED_BUILTIN = 0
_OPCODE_CUSTOM_CODE = 1
_OPCODE_VERSION = 2
_OPCODE_BUILTIN = 3
_SUBGRAPH_OPERATORS = 3
_OP_OPCODE_INDEX = 0
_OP_INPUTS = 1
_OP_OUTPUTS = 2
_OP_BUILTIN_OPTIONS_TYPE = 3
_OP_BUILTIN_OPTIONS = 4
_RANDOM_SEED = 0
_RANDOM_SEED2 = 1


def _u8(buf, pos):
    return buf[pos]


def _i8(buf, pos):
    return struct.unpack_from("<b", buf, pos)[0]


def _u16(buf, pos):
    return struct.unpack_from("<H", buf, pos)[0]


def _i32(buf, pos):
    return struct.unpack_from("<i", buf, pos)[0]


def _u32(buf, pos):
    return struct.unpack_from("<I", buf, pos)[0]


def _field(buf, table: int, field_id: int) -> int | None:
    """Absolute position of a table field, or None when the field is absent."""
    vtable = table - _i32(buf, table)
    slot = 4 + 2 * field_id
    if slot >= _u16(buf, vtable):
        return None
    offset = _u16(buf, vtable + slot)
    return table + offset if offset else None


def _deref(buf, pos: int) -> int:
    return pos + _u32(buf, pos)


def _vector(buf, table: int, field_id: int) -> tuple[int, int]:
    """(position of first element, length) of a vector field; (0, 0) when absent."""
    pos = _field(buf, table, field_id)
    if pos is None:
        return 0, 0
    vec = _deref(buf, pos)
    return vec + 4, _u32(buf, vec)


def _string(buf, table: int, field_id: int) -> str | None:
    pos = _field(buf, table, field_id)
    if pos is None:
        return None
    start = _deref(buf, pos)
    return bytes(buf[start + 4 : start + 4 + _u32(buf, start)]).decode("utf-8")


def _scalar(buf, table, field_id, reader, default):
    pos = _field(buf, table, field_id)
    return default if pos is None else reader(buf, pos)


def _pad_to(buf: bytearray, align: int, extra: int = 0) -> None:
    """Pad so that ``len(buf) + extra`` is a multiple of ``align``."""
    buf.extend(b"\0" * ((-(len(buf) + extra)) % align))


def _append_table(buf: bytearray, fields: list[tuple[int, str, int]]) -> tuple[int, dict[int, int]]:
    """Append a vtable and its table; return the table position and each field's position.

    ``fields`` holds (field id, struct format, value); offset fields use format "I"
    with a placeholder value the caller re-points once the target is appended.
    """
    ordered = sorted(fields, key=lambda f: -struct.calcsize(f[1]))
    layout, size = [], 4  # the soffset to the vtable comes first
    for field_id, fmt, value in ordered:
        width = struct.calcsize(fmt)
        size += (-size) % width
        layout.append((field_id, fmt, value, size))
        size += width
    size += (-size) % 4
    slots = max(f[0] for f in fields) + 1
    vtable = struct.pack(f"<HH{slots}H", 4 + 2 * slots, size, *[
        next((off for fid, _, _, off in layout if fid == i), 0) for i in range(slots)
    ])
    _pad_to(buf, 2)
    _pad_to(buf, 8, len(vtable))  # tables start 8-aligned so int64 fields are aligned
    vt_pos = len(buf)
    buf.extend(vtable)
    table = len(buf)
    body = bytearray(size)
    struct.pack_into("<i", body, 0, table - vt_pos)
    for _, fmt, value, off in layout:
        struct.pack_into("<" + fmt, body, off, value)
    buf.extend(body)
    return table, {fid: table + off for fid, _, _, off in layout}


def _append_vector(buf: bytearray, fmt: str, values: list[int]) -> int:
    _pad_to(buf, max(4, struct.calcsize(fmt)), 4)
    pos = len(buf)
    buf.extend(struct.pack(f"<I{len(values)}{fmt}", len(values), *values))
    return pos


def _append_string(buf: bytearray, text: str) -> int:
    _pad_to(buf, 4)
    pos = len(buf)
    data = text.encode("utf-8")
    buf.extend(struct.pack("<I", len(data)) + data + b"\0")
    return pos


def _point(buf: bytearray, at: int, target: int) -> None:
    if target <= at:
        raise ModelFormatError("internal error: FlatBuffer offsets must point forward")
    struct.pack_into("<I", buf, at, target - at)


def flex_op_names(model: bytes) -> list[str]:
    """Custom-code names of every custom op the model declares (e.g. Flex ops)."""
    buf = memoryview(model)
    root = _u32(buf, 0)
    start, count = _vector(buf, root, _MODEL_OPERATOR_CODES)
    names = []
    for i in range(count):
        code = _deref(buf, start + 4 * i)
        name = _string(buf, code, _OPCODE_CUSTOM_CODE)
        if name and name.startswith("Flex"):
            names.append(name)
    return names


def patch_random_uniform(model: bytes, seed: int = 20201122) -> bytes:
    """Return a copy of ``model`` with FlexRandomUniform ops turned into the builtin.

    ``seed`` makes the dropout deterministic (RandomOptions.seed/seed2); the builtin
    treats seeds (0, 0) as "draw a random seed", so pass 0 for the original behaviour.
    """
    if len(model) < 8 or model[4:8] != b"TFL3":
        raise ModelFormatError("not a TFLite model (no TFL3 identifier)")
    buf = bytearray(model)
    root = _u32(buf, 0)
    codes_field = _field(buf, root, _MODEL_OPERATOR_CODES)
    start, count = _vector(buf, root, _MODEL_OPERATOR_CODES)
    if codes_field is None or count == 0:
        raise ModelFormatError("the model has no operator codes")

    originals = []
    flex_indices = set()
    for i in range(count):
        code = _deref(buf, start + 4 * i)
        custom = _string(buf, code, _OPCODE_CUSTOM_CODE)
        originals.append((
            _scalar(buf, code, _OPCODE_DEPRECATED_BUILTIN, _i8, 0),
            custom,
            _scalar(buf, code, _OPCODE_VERSION, _i32, 1),
            _scalar(buf, code, _OPCODE_BUILTIN, _i32, 0),
        ))
        if custom == FLEX_RANDOM_UNIFORM:
            flex_indices.add(i)
    if not flex_indices:
        return model

    new_vector = _append_vector(buf, "I", [0] * count)
    _point(buf, codes_field, new_vector)
    for i, (deprecated, custom, version, builtin) in enumerate(originals):
        if i in flex_indices:
            deprecated, custom, version, builtin = PLACEHOLDER_FOR_GREATER_OP_CODES, None, 1, RANDOM_UNIFORM
        fields = [(_OPCODE_DEPRECATED_BUILTIN, "b", deprecated), (_OPCODE_VERSION, "i", version),
                  (_OPCODE_BUILTIN, "i", builtin)]
        if custom is not None:
            fields.append((_OPCODE_CUSTOM_CODE, "I", 0))
        table, positions = _append_table(buf, fields)
        _point(buf, new_vector + 4 + 4 * i, table)
        if custom is not None:
            _point(buf, positions[_OPCODE_CUSTOM_CODE], _append_string(buf, custom))

    sub_start, sub_count = _vector(buf, root, _MODEL_SUBGRAPHS)
    for s in range(sub_count):
        subgraph = _deref(buf, sub_start + 4 * s)
        op_start, op_count = _vector(buf, subgraph, _SUBGRAPH_OPERATORS)
        for k in range(op_count):
            entry = op_start + 4 * k
            operator = _deref(buf, entry)
            opcode_index = _scalar(buf, operator, _OP_OPCODE_INDEX, _u32, 0)
            if opcode_index in flex_indices:
                _replace_operator(buf, entry, operator, opcode_index, seed + 2 * k)
    return bytes(buf)


def _replace_operator(buf: bytearray, entry: int, operator: int, opcode_index: int, seed: int) -> None:
    inputs = _read_int_vector(buf, operator, _OP_INPUTS)
    outputs = _read_int_vector(buf, operator, _OP_OUTPUTS)
    table, positions = _append_table(buf, [
        (_OP_OPCODE_INDEX, "I", opcode_index),
        (_OP_INPUTS, "I", 0),
        (_OP_OUTPUTS, "I", 0),
        (_OP_BUILTIN_OPTIONS_TYPE, "B", RANDOM_OPTIONS),
        (_OP_BUILTIN_OPTIONS, "I", 0),
    ])
    _point(buf, entry, table)
    _point(buf, positions[_OP_INPUTS], _append_vector(buf, "i", inputs))
    _point(buf, positions[_OP_OUTPUTS], _append_vector(buf, "i", outputs))
    options, _ = _append_table(buf, [(_RANDOM_SEED, "q", seed), (_RANDOM_SEED2, "q", seed + 1)])
    _point(buf, positions[_OP_BUILTIN_OPTIONS], options)


def _read_int_vector(buf, table: int, field_id: int) -> list[int]:
    start, count = _vector(buf, table, field_id)
    return list(struct.unpack_from(f"<{count}i", buf, start)) if count else []
