"""The HJ 212—2017 codec: the standard's example and check values, faults, framing, split packets."""

from __future__ import annotations

import random

import pytest

from dispatch_app.dataservice.hj212 import (
    MAX_DATA_LENGTH,
    MAX_PACKET_LENGTH,
    Hj212Error,
    Packet,
    PacketFramer,
    SplitReassembler,
    _crc16_reference,
    crc16,
    data_reply,
    encode,
    frame,
    parse,
    parse_data_segment,
)

EXAMPLE = (
    b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;"
    b"Flag=5;CP=&&RtdInterval=30&&1C80\r\n"
)
MN = "32040000AQN0000000000001"
AIR_CODES = ("a34004", "a34002", "a21026", "a21004", "a21005", "a05024")


def air_cp(value: str = "35.2", flag: str = "N") -> dict[str, str]:
    cp = {"DataTime": "20261128140000"}
    for code in AIR_CODES:
        cp[f"{code}-Avg"] = value
        cp[f"{code}-Flag"] = flag
    return cp


def air_packet(**kw: object) -> bytes:
    args: dict[str, object] = {
        "st": "22",
        "cn": "2051",
        "mn": MN,
        "qn": "20261128140000123",
        "cp": air_cp(),
    }
    args.update(kw)
    return encode(**args)  # type: ignore[arg-type]


def fault_of(data: bytes) -> str:
    with pytest.raises(Hj212Error) as info:
        parse(data)
    assert info.value.fault in str(info.value)
    return info.value.fault


# --- CRC ---------------------------------------------------------------------------------------


def test_crc_check_values() -> None:
    assert crc16(b"123456789") == 0x2F80
    assert crc16(b"") == 0xFFFF


def test_crc_is_not_modbus() -> None:
    # CRC-16/MODBUS of "123456789" is 0x4B37; the standard's algorithm is a different one.
    assert crc16(b"123456789") != 0x4B37


def test_fast_crc_matches_the_standards_loop_on_random_data() -> None:
    rng = random.Random(212)
    for n in [*range(0, 40), *range(40, 1100, 13), 1023, 1024, 1025, 1031, 1032, 1033, 1500]:
        data = bytes(rng.randrange(256) for _ in range(n))
        assert crc16(data) == _crc16_reference(data), n


# --- parse -------------------------------------------------------------------------------------


def test_the_standards_example_parses() -> None:
    p = parse(EXAMPLE)
    assert (p.qn, p.st, p.cn, p.pw, p.mn) == (
        "20160801085857223",
        "32",
        "1062",
        "100000",
        "010000A8900016F000169DC0",
    )
    assert p.flag == 5 and p.version == 1 and p.reply_required and not p.split
    assert p.cp == {"RtdInterval": "30"}
    assert p.data.startswith("QN=2016") and p.data.endswith("&&")


def test_crc_is_compared_case_insensitively() -> None:
    assert parse(EXAMPLE.replace(b"1C80", b"1c80")).qn == "20160801085857223"


def test_encode_parse_round_trip() -> None:
    raw = air_packet()
    p = parse(raw)
    assert p.cp == air_cp()
    assert p.flag == 4 and not p.reply_required and p.version == 1
    assert raw.endswith(b"\r\n") and raw[2:6] == b"%04d" % len(p.data)
    # fields of one pollutant share an item, items are separated by ';'
    assert "a34004-Avg=35.2,a34004-Flag=N;a34002-Avg" in p.data


def test_2005_style_packet_without_qn_and_flag_parses() -> None:
    segment = f"ST=22;CN=2011;PW=123456;MN={MN};CP=&&DataTime=20261128140000;a34004-Rtd=40.0&&"
    p = parse(frame(segment))
    assert p.qn is None and p.flag is None and p.version is None
    assert not p.reply_required and not p.split
    assert p.cp["a34004-Rtd"] == "40.0"
    assert parse(encode(st="22", cn="2011", mn=MN, cp={"a": "1"}, flag=None)).flag is None


def test_cp_parsing_matches_a_plain_reading() -> None:
    rng = random.Random(3)
    alphabet = "abcdefgh0123456789.-"
    for _ in range(500):
        items = []
        expected: dict[str, str] = {}
        for i in range(rng.randrange(1, 12)):
            fields = []
            for j in range(rng.randrange(1, 4)):
                name = f"n{i}_{j}" + "".join(rng.choice(alphabet) for _ in range(rng.randrange(3)))
                value = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 8)))
                fields.append(f"{name}={value}")
                expected[name] = value
            items.append(",".join(fields))
        segment = f"ST=22;CN=2051;PW=1;MN=X;CP=&&{';'.join(items)}&&"
        assert parse(frame(segment)).cp == expected


def test_empty_cp() -> None:
    assert parse(air_packet(cp={})).cp == {}


@pytest.mark.parametrize(
    ("data", "fault"),
    [
        (EXAMPLE[1:], "framing"),  # one '#'
        (EXAMPLE[:-2], "framing"),  # no CR LF
        (EXAMPLE.replace(b"##0101", b"##01x1"), "framing"),
        (b"##0101\r\n", "framing"),
        (EXAMPLE.replace(b"##0101", b"##0100"), "length"),
        (EXAMPLE.replace(b"##0101", b"##0102"), "length"),
        (EXAMPLE.replace(b"1C80", b"1C81"), "crc"),
        (EXAMPLE.replace(b"1C80", b"1CZ0"), "crc"),
        (EXAMPLE.replace(b"1C80", b"+C80"), "crc"),
        (EXAMPLE.replace(b"##0101", b"##2000"), "oversize"),
        (b"##" + b"1024" + b"A" * 2000 + b"0000\r\n", "oversize"),
    ],
)
def test_malformed_packets_name_their_fault(data: bytes, fault: str) -> None:
    assert fault_of(data) == fault


@pytest.mark.parametrize(
    ("segment", "fault"),
    [
        ("QN=1;ST=22;CN=2051;PW=1;MN=X;Flag=4;CP=&&&&", "field"),  # QN too short
        ("ST=22;CN=2051;PW=1;Flag=4;CP=&&&&", "field"),  # no MN
        ("ST=22;PW=1;MN=X;CP=&&&&", "field"),  # no CN
        ("ST=2x;CN=2051;PW=1;MN=X;CP=&&&&", "field"),
        ("ST=22;CN=20510;PW=1;MN=X;CP=&&&&", "field"),
        ("ST=22;CN=2051;PW=1;MN=X;Flag=999;CP=&&&&", "field"),
        ("ST=22;CN=2051;PW=1;MN=X;Flag=6;CP=&&&&", "field"),  # split bit without PNUM
        ("ST=22;CN=2051;PW=1;MN=X;Flag=6;PNUM=2;PNO=3;CP=&&&&", "field"),
        ("ST=22;CN=2051;PW=1;MN=X;Flag=4;PNUM=2;CP=&&&&", "field"),
        ("ST=22;ST=22;CN=2051;PW=1;MN=X;CP=&&&&", "field"),
        ("ST=22;CN=2051;PW=1234567;MN=X;CP=&&&&", "field"),
        ("ST=22;CN=2051;PW=1;MN=" + "M" * 25 + ";CP=&&&&", "field"),
        ("ST=22;CN=2051;junk;MN=X;CP=&&&&", "field"),
        ("ST=22;CN=2051;PW=1;MN=X;CP=&&a=1", "cp"),  # CP not closed
        ("ST=22;CN=2051;PW=1;MN=X", "cp"),  # no CP
        ("ST=22;CN=2051;PW=1;MN=X;CP=&&a=1;;b=2&&", "cp"),
        ("ST=22;CN=2051;PW=1;MN=X;CP=&&a=1,b&&", "cp"),
        ("ST=22;CN=2051;PW=1;MN=X;CP=&&a=1;a=2&&", "cp"),
        ("ST=22;CN=2051;PW=1;MN=X;CP=&&=1&&", "cp"),
        ("ST=22;CN=2051;PW=1;MN=X;CP=&&a=1=2&&", "cp"),
        ("ST=22;CN=2051;PW=1;MN=X;CP=&&a=1=2;b&&", "cp"),  # '=' count matches, fields do not
        ("ST=22;CN=2051;PW=1;MN=X;CP=&&a=1,b;c=2=3&&", "cp"),
        ("ST==22;CN=2051;PW=1;MN=X;CP=&&&&", "field"),
        ("ST=22;CN=2051;PW=1=;MN;X;CP=&&&&", "field"),
    ],
)
def test_bad_fields_and_cp(segment: str, fault: str) -> None:
    assert fault_of(frame(segment)) == fault


def _outcome(segment: str) -> tuple[object, ...]:
    try:
        p = parse_data_segment(segment)  # a str: non-ASCII digits reach the header checks
    except Hj212Error as exc:
        return ("fault", str(exc))
    return (p.qn, p.st, p.cn, p.pw, p.mn, p.flag, p.pnum, p.pno, p.cp)


@pytest.mark.parametrize(
    "fields",
    [
        ["QN=20261128140000123", "ST=22", "CN=2051", "PW=123456", f"MN={MN}", "Flag=5"],
        ["QN=20261128140000123", "ST=2", "CN=2011", "PW=", "MN=M", "Flag=0"],
        ["QN=20261128140000123", "ST=22", "CN=2051", "PW=1,2", "MN=A&B", "Flag=255"],
        ["QN=20261128140000123", "ST=22", "CN=2051", "PW=1", "MN=X", "Flag=999"],
        ["QN=20261128140000123", "ST=22", "CN=2051", "PW=1", "MN=X", "Flag=6"],
        ["QN=20261128140000123", "ST=22", "CN=2051", "PW=1", "MN=X", "Flag=7"],
        ["QN=2026112814000012", "ST=22", "CN=2051", "PW=1", "MN=X", "Flag=4"],
        ["QN=20261128140000123", "ST=223", "CN=2051", "PW=1", "MN=X", "Flag=4"],
        ["QN=20261128140000123", "ST=22", "CN=205", "PW=1", "MN=X", "Flag=4"],
        ["QN=20261128140000123", "ST=22", "CN=2051", "PW=1234567", "MN=X", "Flag=4"],
        ["QN=20261128140000123", "ST=22", "CN=2051", "PW=1", "MN=" + "M" * 25, "Flag=4"],
        ["QN=20261128140000123", "ST=22", "CN=2051", "PW=1", "MN=", "Flag=4"],
        ["QN=20261128140000123", "ST=22", "CN=2051", "PW=1", "MN=X=Y", "Flag=4"],
        ["QN=20261128140000123", "ST=22", "CN=2051", "PW=1", "MN=X", "Flag=1000"],
        ["QN=2026112814000012\u0663", "ST=22", "CN=2051", "PW=1", "MN=X", "Flag=4"],
    ],
)
def test_header_in_the_standards_order_reads_as_in_any_order(fields: list[str]) -> None:
    """The standard's field order has a fast path; the same fields in another order take the
    general one. Both give the same packet, or the same fault with the same message."""
    cp = "CP=&&DataTime=20261128140000;a34004-Avg=1.0,a34004-Flag=N&&"
    standard = _outcome(";".join([*fields, cp]))
    shuffled = _outcome(";".join([*fields[1:], fields[0], cp]))
    assert standard == shuffled
    if fields[-1] == "Flag=5":
        assert standard[0] == "20261128140000123" and standard[5] == 5


def test_non_ascii_data_segment_is_a_field_fault() -> None:
    seg = "ST=22;CN=2051;PW=1;MN=站;CP=&&&&".encode()
    raw = b"##%04d%s%04X\r\n" % (len(seg), seg, crc16(seg))
    assert fault_of(raw) == "field"


def test_random_bytes_only_ever_raise_hj212error() -> None:
    rng = random.Random(2017)
    base = air_packet()
    for i in range(3000):
        if i % 3 == 0:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 1200)))
        else:  # mutate a valid packet: flips, cuts, insertions
            buf = bytearray(base)
            for _ in range(rng.randrange(1, 6)):
                pos = rng.randrange(len(buf))
                op = rng.randrange(3)
                if op == 0:
                    buf[pos] = rng.randrange(256)
                elif op == 1:
                    del buf[pos]
                else:
                    buf.insert(pos, rng.randrange(256))
            data = bytes(buf)
        try:
            p = parse(data)
        except Hj212Error as exc:
            assert exc.fault in {"framing", "length", "crc", "oversize", "cp", "field"}
        else:
            assert isinstance(p, Packet)


# --- encode ------------------------------------------------------------------------------------


def test_encode_refuses_what_would_break_framing() -> None:
    with pytest.raises(Hj212Error) as info:
        encode(st="22", cn="2051", mn=MN, cp={"a34004-Avg": "1;2"})
    assert info.value.fault == "field"
    with pytest.raises(Hj212Error):
        encode(st="22", cn="2051", mn="M;N", cp={})
    with pytest.raises(Hj212Error):
        encode(st="22", cn="2051", mn=MN, cp={"a,b": "1"})
    with pytest.raises(Hj212Error) as info:
        encode(st="22", cn="2051", mn=MN, cp={f"x{i:04d}-Avg": "1.0" for i in range(200)})
    assert info.value.fault == "oversize"
    with pytest.raises(Hj212Error):
        encode(st="22", cn="2051", mn=MN, cp={}, qn="123")


def test_data_reply_echoes_qn_and_mn() -> None:
    p = parse(EXAMPLE)
    reply = parse(data_reply(p))
    assert (reply.qn, reply.st, reply.cn, reply.mn, reply.pw) == (p.qn, "91", "9014", p.mn, p.pw)
    assert not reply.reply_required


# --- stream framing ----------------------------------------------------------------------------


def test_framer_reassembles_byte_by_byte_reads() -> None:
    framer = PacketFramer()
    out: list[bytes | Hj212Error] = []
    for b in EXAMPLE:
        out += framer.feed(bytes([b]))
    assert out == [EXAMPLE] and framer.pending == 0


def test_framer_splits_several_packets_in_one_read() -> None:
    packets = [air_packet(qn=f"2026112814000000{i}") for i in range(5)]
    assert PacketFramer().feed(b"".join(packets)) == packets


def test_framer_random_chunking_gives_the_same_packets() -> None:
    rng = random.Random(7)
    packets = [air_packet(qn=f"202611281400{i:05d}") for i in range(50)]
    stream = b"".join(packets)
    for _ in range(20):
        framer = PacketFramer()
        got: list[bytes | Hj212Error] = []
        pos = 0
        while pos < len(stream):
            step = rng.randrange(1, 700)
            got += framer.feed(stream[pos : pos + step])
            pos += step
        assert got == packets


def test_framer_skips_noise_and_reports_it() -> None:
    out = PacketFramer().feed(b"garbage" + EXAMPLE + b"\x00\xff" + EXAMPLE)
    assert [type(x) for x in out] == [Hj212Error, bytes, Hj212Error, bytes]
    assert all(x.fault == "framing" for x in out if isinstance(x, Hj212Error))


def test_framer_cuts_a_packet_that_lost_its_end_at_the_next_start() -> None:
    out = PacketFramer().feed(EXAMPLE[:40] + EXAMPLE)
    assert isinstance(out[0], Hj212Error) and out[0].fault == "framing"
    assert out[1] == EXAMPLE


def test_framer_bounds_memory_on_endless_input() -> None:
    framer = PacketFramer()
    faults: list[bytes | Hj212Error] = framer.feed(b"##0101")
    for _ in range(100):
        faults += framer.feed(b"A" * 1000)
        assert framer.pending <= MAX_PACKET_LENGTH + 1000
    oversize = [f for f in faults if isinstance(f, Hj212Error)]
    assert len(oversize) == 1 and oversize[0].fault == "oversize"
    # after the junk ends, the next packet is found again
    assert framer.feed(b"\r\n" + EXAMPLE) == [EXAMPLE]


def test_framer_reports_a_terminated_packet_longer_than_allowed() -> None:
    framer = PacketFramer(max_packet=200)
    big = air_packet()
    assert len(big) > 200
    out = framer.feed(big + EXAMPLE)
    assert isinstance(out[0], Hj212Error) and out[0].fault == "oversize"
    assert out[-1] == EXAMPLE


def test_framer_with_a_lying_length_field_does_not_swallow_the_next_packet() -> None:
    liar = EXAMPLE.replace(b"##0101", b"##0900")
    out = PacketFramer().feed(liar + EXAMPLE)
    assert out == [liar, EXAMPLE]
    assert fault_of(liar) == "length"


def test_framer_random_bytes_never_raise_and_stay_bounded() -> None:
    rng = random.Random(99)
    framer = PacketFramer()
    for _ in range(2000):
        chunk = bytes(rng.choice(b"#\r\n0123AB;=&") for _ in range(rng.randrange(1, 64)))
        for item in framer.feed(chunk):
            assert isinstance(item, bytes | Hj212Error)
        assert framer.pending <= MAX_PACKET_LENGTH + 64
    assert framer.feed(b"\r\n" + EXAMPLE)[-1] == EXAMPLE


# --- split packets -----------------------------------------------------------------------------


def split_parts(pnum: int) -> list[Packet]:
    parts = []
    for pno in range(1, pnum + 1):
        cp = {"DataTime": "20261128140000", f"a3400{pno}-Avg": f"{pno}.5"}
        parts.append(parse(air_packet(cp=cp, flag=5, pnum=pnum, pno=pno)))
    return parts


def test_split_packets_carry_the_split_bit() -> None:
    p = split_parts(3)[1]
    assert p.split and p.pnum == 3 and p.pno == 2 and p.flag == 7 and p.reply_required


def test_split_packets_reassemble_in_any_order() -> None:
    parts = split_parts(3)
    r = SplitReassembler()
    assert r.add(parts[2]) is None
    assert r.add(parts[0]) is None
    whole = r.add(parts[1])
    assert whole is not None and not whole.split and whole.pnum is None
    assert whole.cp == {
        "DataTime": "20261128140000",
        "a34001-Avg": "1.5",
        "a34002-Avg": "2.5",
        "a34003-Avg": "3.5",
    }
    assert whole.reply_required and whole.mn == MN


def test_unsplit_packets_pass_through_the_reassembler() -> None:
    p = parse(air_packet())
    assert SplitReassembler().add(p) is p


def test_incomplete_split_packets_expire() -> None:
    parts = split_parts(2)
    r = SplitReassembler(timeout_s=10)
    assert r.add(parts[0], now=0.0) is None
    assert r.add(parts[1], now=100.0) is None  # the first part expired: this starts anew
    assert r.expired == 1


def test_split_part_with_changed_pnum_is_refused() -> None:
    r = SplitReassembler()
    r.add(split_parts(3)[0])
    with pytest.raises(Hj212Error):
        r.add(split_parts(2)[1])


def test_reassembler_pending_is_bounded() -> None:
    r = SplitReassembler(max_pending=4)
    for i in range(10):
        r.add(parse(air_packet(qn=f"202611281400{i:05d}", flag=5, pnum=2, pno=1)))
    assert r.expired == 6


def test_max_data_length_is_the_standards() -> None:
    assert MAX_DATA_LENGTH == 1024
    head = "ST=22;CN=2051;PW=1;MN=X;CP=&&a="
    ok = head + "1" * (1024 - len(head) - 2) + "&&"
    assert len(ok) == 1024
    assert parse(frame(ok)).cp["a"].startswith("1")
    with pytest.raises(Hj212Error) as info:
        frame(ok[:-2] + "1&&")
    assert info.value.fault == "oversize"
