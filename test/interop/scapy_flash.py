#!/usr/bin/python3
"""Interop: Debian's python3-scapy (UDS_DoIPSocket) drives `udskit sim` over DoIP on 127.0.0.1.

Routing activation, 10 03, 22 F190, 27 unlock, 10 02, 27 unlock (a session change relocks), 31 01 FF00
erase, 34/36/37 of 64 KiB, 35/36/37 read back, compare, 10 01. Prints one JSON line with the results and
exits non-zero on the first failure.

usage: scapy_flash.py --port PORT [--ecu 0x1010] [--size 65536]
"""
import argparse
import json
import os
import struct
import sys
import time

from scapy.config import conf
from scapy.fields import ConditionalField, XStrLenField
from scapy.contrib.automotive.doip import DoIP, UDS_DoIPSocket
from scapy.contrib.automotive.uds import (UDS, UDS_DSC, UDS_RDBI, UDS_SA, UDS_RC, UDS_RD, UDS_RU, UDS_TD,
                                          UDS_RTE, UDS_NR, UDS_RDBIPR, UDS_ER)

conf.verb = 0

# scapy 2.5.0's DoIP layer loses messages that share a TCP read with the one before them, which happens with
# every entity that sends the 0x8002 ACK that ISO 13400-2 requires right before the response (scapy issues
# #4026/#4547, fixed upstream): the optional echo of 0x8002/0x8003 ("previous_msg") is dissected to the end of
# the peeked bytes, and extract_padding() returns no padding, so StreamSocket drops what follows. Bound the
# echo by payload_length and hand the rest back as padding, as later scapy versions do. Everything else is
# scapy's own codec.
for f in DoIP.fields_desc:
    if f.name == "previous_msg" and isinstance(f, ConditionalField):
        f.fld = XStrLenField("previous_msg", b"", length_from=lambda p: max(0, p.payload_length - 5))


def _extract_padding(self, s):
    if self.payload_type == 0x8001:
        n = self.payload_length - 4
        return s[:n], s[n:]
    return b"", s


DoIP.extract_padding = _extract_padding


def fail(step, detail):
    print(json.dumps({"ok": False, "step": step, "detail": detail}))
    sys.exit(1)


def shift_mul_xor(seed, constant=0x464C4147, key_len=4):
    s = struct.unpack(">I", seed.rjust(4, b"\0")[-4:])[0]
    s = ((s >> 5) | (s << 23)) & 0xFFFFFFFF
    s = (s * 7) & 0xFFFFFFFF
    s ^= constant
    return s.to_bytes(4, "big")[4 - key_len:]


class Session:
    def __init__(self, port, ecu, tester):
        self.sock = UDS_DoIPSocket("127.0.0.1", port, activate_routing=True, source_address=tester,
                                   target_address=ecu)
        if getattr(self.sock, "target_address", None) != ecu:
            fail("routing activation", "routing activation was not accepted")
        self.sock.ins.settimeout(5)

    def req(self, step, pkt, expect_sid):
        """Send a UDS request; skip 8002 ACKs and 0x78 pending; return the positive response packet."""
        self.sock.send(UDS() / pkt)
        for _ in range(200):
            try:
                r = self.sock.recv()
            except OSError as e:  # socket.timeout included
                fail(step, "no response: %s" % e)
            if r is None:
                continue
            if isinstance(r, DoIP):
                if r.payload_type == 0x8002:
                    continue
                fail(step, "unexpected DoIP message %s" % r.summary())
            if not isinstance(r, UDS):
                fail(step, "not a UDS message: %r" % r)
            if r.service == 0x7F:
                nrc = r[UDS_NR].negativeResponseCode
                if nrc == 0x78:
                    continue
                fail(step, "negative response 7F %02X %02X" % (r[UDS_NR].requestServiceId, nrc))
            if r.service != expect_sid:
                fail(step, "unexpected response SID 0x%02X" % r.service)
            return r
        fail(step, "no response")

    def nrc(self, step, pkt):
        """Send a request that must be refused; return its NRC."""
        self.sock.send(UDS() / pkt)
        for _ in range(200):
            try:
                r = self.sock.recv()
            except OSError as e:
                fail(step, "no response: %s" % e)
            if isinstance(r, DoIP) and r.payload_type == 0x8002:
                continue
            if isinstance(r, UDS) and r.service == 0x7F and r[UDS_NR].negativeResponseCode != 0x78:
                return r[UDS_NR].negativeResponseCode
            fail(step, "expected a negative response, got %r" % r)

    def unlock(self, level, key_fn):
        r = self.req("27 %02X request seed" % level, UDS_SA(securityAccessType=level), 0x67)
        seed = bytes(r.securitySeed)
        if seed == b"\0" * len(seed):
            return seed
        self.req("27 %02X send key" % (level + 1),
                 UDS_SA(securityAccessType=level + 1, securityKey=key_fn(seed)), 0x67)
        return seed


def doipsimu_key(pin):
    """The prototype's algorithm: key[i] = (seed[i] XOR (pin[i] + 32)) mod 255."""
    return lambda seed: bytes(((seed[i] ^ (pin[i] + 32)) % 255) for i in range(4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ecu", type=lambda s: int(s, 0), default=0x1010)
    ap.add_argument("--tester", type=lambda s: int(s, 0), default=0x0E00)
    ap.add_argument("--size", type=lambda s: int(s, 0), default=0x10000)
    ap.add_argument("--profile", choices=["default", "doipsimu"], default="default")
    a = ap.parse_args()
    if a.profile == "doipsimu":
        return doipsimu(a)
    out = {"ok": True, "steps": []}
    s = Session(a.port, a.ecu, a.tester)
    out["steps"].append("routing activation 0x10")

    r = s.req("10 03", UDS_DSC(diagnosticSessionType=3), 0x50)
    out["sessionParameterRecord"] = bytes(r.sessionParameterRecord).hex()
    out["steps"].append("10 03")
    r = s.req("22 F190", UDS_RDBI(identifiers=[0xF190]), 0x62)
    if r.dataIdentifier != 0xF190:
        fail("22 F190", "DID echo 0x%04X" % r.dataIdentifier)
    out["vin"] = bytes(r[UDS_RDBIPR].payload).decode("ascii", "replace")
    out["steps"].append("22 F190")
    s.unlock(0x01, shift_mul_xor)
    out["steps"].append("27 01/02 in extended session")
    s.req("10 02", UDS_DSC(diagnosticSessionType=2), 0x50)
    out["steps"].append("10 02")
    nrc = s.nrc("34 while locked", UDS_RD(dataFormatIdentifier=0, memorySizeLen=4, memoryAddressLen=4,
                                          memoryAddress4=0, memorySize4=16))
    if nrc != 0x33:
        fail("34 while locked", "expected NRC 0x33 (a session change relocks), got 0x%02X" % nrc)
    out["steps"].append("34 after 10 02 -> 7F 34 33")
    s.unlock(0x01, shift_mul_xor)
    out["steps"].append("27 01/02 in programming session")

    addr, size = 0x00000000, a.size
    s.req("31 01 FF00", UDS_RC(routineControlType=1, routineIdentifier=0xFF00) / (b"\x44" + struct.pack(">II", addr, 0x10000 * ((size + 0xFFFF) // 0x10000))), 0x71)
    out["steps"].append("31 01 FF00 erase")

    data = os.urandom(size)
    r = s.req("34", UDS_RD(dataFormatIdentifier=0, memorySizeLen=4, memoryAddressLen=4,
                           memoryAddress4=addr, memorySize4=size), 0x74)
    mnbl = int.from_bytes(bytes(r.maxNumberOfBlockLength), "big")
    out["maxNumberOfBlockLength"] = mnbl
    chunk = mnbl - 2
    seq = 1
    for off in range(0, size, chunk):
        r = s.req("36 block %d" % seq, UDS_TD(blockSequenceCounter=seq, transferRequestParameterRecord=data[off:off + chunk]), 0x76)
        if r.blockSequenceCounter != seq:
            fail("36", "counter echo %d != %d" % (r.blockSequenceCounter, seq))
        seq = (seq + 1) & 0xFF
    r = s.req("37", UDS_RTE(), 0x77)
    out["steps"].append("34/36/37 download %d bytes" % size)

    r = s.req("35", UDS_RU(dataFormatIdentifier=0, memorySizeLen=4, memoryAddressLen=4,
                           memoryAddress4=addr, memorySize4=size), 0x75)
    back = b""
    seq = 1
    while len(back) < size:
        r = s.req("36 upload block %d" % seq, UDS_TD(blockSequenceCounter=seq), 0x76)
        back += bytes(r.transferResponseParameterRecord)
        seq = (seq + 1) & 0xFF
    s.req("37 (upload)", UDS_RTE(), 0x77)
    out["steps"].append("35/36/37 upload %d bytes" % len(back))
    out["verified"] = back == data
    if back != data:
        fail("compare", "read-back differs from the downloaded data")
    s.req("10 01", UDS_DSC(diagnosticSessionType=1), 0x50)
    out["steps"].append("10 01")
    print(json.dumps(out))


def doipsimu(a):
    """The prototype's own client flow (doipsimu/doipclient.py) against profiles/doipsimu.yaml: tester 0x1010,
    ECU 0x0E80, 10 02, 27 05/06 with the PIN algorithm, FF00 addr(4) size(4), TransferData blocks of
    maxNumberOfBlockLength DATA bytes, 37, 11 01, then read back reading 36 until NRC 0x31."""
    out = {"ok": True, "steps": []}
    s = Session(a.port, 0x0E80, 0x1010)
    s.req("10 02", UDS_DSC(diagnosticSessionType=2), 0x50)
    s.unlock(0x05, doipsimu_key(b"2345"))
    out["steps"].append("27 05/06 doipsimu-pin")
    addr, size = 0x1000, 0x3000
    s.req("31 01 FF00", UDS_RC(routineControlType=1, routineIdentifier=0xFF00) / struct.pack(">II", addr, size), 0x71)
    data = os.urandom(size)
    r = s.req("34", UDS_RD(dataFormatIdentifier=0, memorySizeLen=4, memoryAddressLen=4,
                           memoryAddress4=addr, memorySize4=size), 0x74)
    block = int.from_bytes(bytes(r.maxNumberOfBlockLength), "big")
    out["maxNumberOfBlockLength"] = block
    seq = 1
    for off in range(0, size, block):
        s.req("36 block %d" % seq, UDS_TD(blockSequenceCounter=seq, transferRequestParameterRecord=data[off:off + block]), 0x76)
        seq = (seq + 1) % 0xFF
    s.req("37", UDS_RTE(), 0x77)
    out["steps"].append("34/36/37 with %d-byte data blocks" % block)
    s.req("11 01", UDS_ER(resetType=1), 0x51)
    time.sleep(0.3)  # the prototype's scripts do not wait; the ECU needs its reset time (NACK 06 meanwhile)
    s.req("10 02 after reset", UDS_DSC(diagnosticSessionType=2), 0x50)
    s.unlock(0x05, doipsimu_key(b"2345"))
    s.req("35", UDS_RU(dataFormatIdentifier=0, memorySizeLen=4, memoryAddressLen=4,
                       memoryAddress4=addr, memorySize4=size), 0x75)
    back = b""
    seq = 1
    while True:
        s.sock.send(UDS() / UDS_TD(blockSequenceCounter=seq))
        r = None
        while True:
            r = s.sock.recv()
            if isinstance(r, DoIP) and r.payload_type == 0x8002:
                continue
            break
        if isinstance(r, UDS) and r.service == 0x76:
            back += bytes(r.transferResponseParameterRecord)
            seq = (seq + 1) % 0xFF
            continue
        if isinstance(r, UDS) and r.service == 0x7F and r[UDS_NR].negativeResponseCode == 0x31:
            break
        fail("36 upload", "unexpected %r" % r)
    out["steps"].append("35/36 read until NRC 0x31")
    out["verified"] = back == data
    if back != data:
        fail("compare", "read-back differs (%d bytes read)" % len(back))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
