#!/usr/bin/python3
"""Interop: Debian's python3-scapy (2.5.0) decodes every message udskit's ECU sent during a service sweep.

Input (stdin): a JSON list of {"label", "request", "response", "kind"} with hex strings; kind is
"response" (the final answer to the request), "pending" (7F xx 78) or "unsolicited" (periodic data,
ResponseOnEvent). Output (stdout): one JSON object {"verdicts": [...], "summary": {...}}.

For each message the verdict is
- "pass": scapy's UDS layer (scapy.contrib.automotive.uds) decoded it into the layer it binds to that
  service, every field scapy decodes equals what ISO 14229-1:2020 puts at that place in the bytes (parsed
  independently below), scapy rebuilds exactly the same bytes from its fields, and (for final responses)
  scapy agrees that the message answers the request (`UDS.answers`);
- "fail": any of that does not hold (the reason says which);
- "not-decodable": scapy 2.5.0's UDS layer does not model the service, sub-function or parameter (the
  reason cites what it lacks); such a message is not counted as a pass.
"""
import json
import struct
import sys

from scapy.packet import NoPayload, Raw
from scapy.contrib.automotive import uds as U

def U16(b):
    """Big-endian u16 of the first two bytes; IndexError when there are fewer (a too-short response)."""
    if len(b) < 2:
        raise IndexError("need 2 bytes, got %d" % len(b))
    return struct.unpack(">H", b[:2])[0]


def _size_fields(prefix_bytes, alfid):
    """ALFID-driven memoryAddressN / memorySizeN fields of scapy's 23/34/35/3D layers."""
    addr_len, size_len = alfid & 0x0F, alfid >> 4
    a = prefix_bytes[:addr_len]
    s = prefix_bytes[addr_len:addr_len + size_len]
    return {
        "memorySizeLen": size_len,
        "memoryAddressLen": addr_len,
        "memoryAddress%d" % addr_len: int.from_bytes(a, "big"),
        "memorySize%d" % size_len: int.from_bytes(s, "big"),
    }


def _rdtci(r):
    rt = r[1]
    out = {"reportType": rt}
    # ISO 14229-1:2020 12.3.3: 01/07/11/12 -> availability mask, DTCFormatIdentifier, DTCCount(2);
    # 02/0A..0F/13/15 -> availability mask + DTCAndStatusRecords; the others -> records scapy keeps raw.
    if rt in (0x01, 0x07, 0x11, 0x12):
        out.update({"DTCStatusAvailabilityMask": r[2], "DTCFormatIdentifier": r[3], "DTCCount": U16(r[4:6])})
    elif rt in (0x02, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x13, 0x15):
        out.update({"DTCStatusAvailabilityMask": r[2], "DTCAndStatusRecord": r[3:]})
    elif rt in (0x03, 0x04, 0x05, 0x06, 0x08, 0x09, 0x10, 0x14):
        out["dataRecord"] = r[2:]
    return out


def _rftpr(r):
    # ISO 14229-1:2020 15.6.3: modeOfOperation, then (not for 02 DeleteFile) lengthFormatIdentifier,
    # maxNumberOfBlockLength, dataFormatIdentifier; for 04 ReadFile / 05 ReadDir
    # fileSizeOrDirInfoParameterLength(2) and fileSizeUncompressedOrDirInfoLength; 04 also fileSizeCompressed.
    mode = r[1]
    out = {"modeOfOperation": mode}
    if mode == 0x02:
        return out
    lfi = r[2]
    out["lengthFormatIdentifier"] = lfi
    out["maxNumberOfBlockLength"] = r[3:3 + lfi]
    i = 3 + lfi
    out["compressionMethod"] = r[i] >> 4
    out["encryptingMethod"] = r[i] & 0x0F
    i += 1
    if mode in (0x04, 0x05):
        n = U16(r[i:i + 2])
        out["fileSizeOrDirInfoParameterLength"] = n
        out["fileSizeUncompressedOrDirInfoLength"] = r[i + 2:i + 2 + n]
        if mode == 0x04:
            out["fileSizeCompressed"] = r[i + 2 + n:i + 2 + 2 * n]
    return out


# Per layer: the fields ISO 14229-1:2020 places in the response bytes `r`, and the bytes scapy is expected
# to leave to a Raw payload (None = nothing may be left over).
EXPECTED = {
    U.UDS_DSCPR: lambda r: ({"diagnosticSessionType": r[1], "sessionParameterRecord": r[2:]}, None),
    U.UDS_ERPR: lambda r: ({"resetType": r[1], **({"powerDownTime": r[2]} if r[1] == 0x04 else {})}, None),
    U.UDS_SAPR: lambda r: ({"securityAccessType": r[1], **({"securitySeed": r[2:]} if r[1] % 2 == 1 else {})}, None),
    U.UDS_CCPR: lambda r: ({"controlType": r[1]}, None),
    U.UDS_TPPR: lambda r: ({"zeroSubFunction": r[1]}, None),
    U.UDS_ATPPR: lambda r: ({"timingParameterAccessType": r[1], **({"timingParameterResponseRecord": r[2:]} if r[1] == 0x03 else {})}, None),
    U.UDS_CDTCSPR: lambda r: ({"DTCSettingType": r[1]}, None),
    # scapy's eventTypeRecord also takes the serviceToRespondToRecord that follows it (no field of its own).
    U.UDS_ROEPR: lambda r: ({"eventType": r[1], "numberOfIdentifiedEvents": r[2], "eventWindowTime": r[3], "eventTypeRecord": r[4:]}, None),
    U.UDS_LCPR: lambda r: ({"linkControlType": r[1]}, None),
    # scapy binds a DID's data record to further layers by DID (UDS_RDBI.dataIdentifiers); with none
    # registered the data record(s) stay in a Raw payload by design: it must be exactly the rest.
    U.UDS_RDBIPR: lambda r: ({"dataIdentifier": U16(r[1:3])}, r[3:]),
    U.UDS_RMBAPR: lambda r: ({"dataRecord": r[1:]}, None),
    U.UDS_RSDBIPR: lambda r: ({"dataIdentifier": U16(r[1:3]), "scalingByte": r[3], "dataRecord": r[4:]}, None),
    U.UDS_RDBPIPR: lambda r: ({"periodicDataIdentifier": r[1], "dataRecord": r[2:]}, None),
    U.UDS_DDDIPR: lambda r: ({"subFunction": r[1], "dynamicallyDefinedDataIdentifier": U16(r[2:4])}, None),
    U.UDS_WDBIPR: lambda r: ({"dataIdentifier": U16(r[1:3])}, None),
    U.UDS_WMBAPR: lambda r: (_size_fields(r[2:], r[1]), None),
    U.UDS_CDTCIPR: lambda r: ({}, None),
    U.UDS_RDTCIPR: lambda r: (_rdtci(r), None),
    # routineStatusRecord: scapy's RCPR has no field for it and leaves it as the payload by design.
    U.UDS_RCPR: lambda r: ({"routineControlType": r[1], "routineIdentifier": U16(r[2:4])}, r[4:]),
    U.UDS_RDPR: lambda r: ({"memorySizeLen": r[1] >> 4, "reserved": r[1] & 0x0F, "maxNumberOfBlockLength": r[2:]}, None),
    U.UDS_RUPR: lambda r: ({"memorySizeLen": r[1] >> 4, "reserved": r[1] & 0x0F, "maxNumberOfBlockLength": r[2:]}, None),
    U.UDS_TDPR: lambda r: ({"blockSequenceCounter": r[1], "transferResponseParameterRecord": r[2:]}, None),
    U.UDS_RTEPR: lambda r: ({"transferResponseParameterRecord": r[1:]}, None),
    U.UDS_RFTPR: lambda r: (_rftpr(r), None),
    U.UDS_IOCBIPR: lambda r: ({"dataIdentifier": U16(r[1:3]), "controlStatusRecord": r[3:]}, None),
    U.UDS_NR: lambda r: ({"requestServiceId": r[1], "negativeResponseCode": r[2]}, None),
}


def scapy_gap(r):
    """Why scapy 2.5.0's UDS layer cannot decode response `r` (None when it should)."""
    sid = r[0]
    if sid not in U.UDS.services:
        return "scapy's UDS.services does not list SID 0x%02X" % sid
    if sid == 0xC3 and len(r) > 2 and r[1] != 0x03:
        return ("UDS_ATPPR decodes timingParameterResponseRecord only for 03 readCurrentlyActiveTimingParameters; "
                "ISO 14229-1:2013 9.7.3 also returns it for 01 readExtendedTimingParameterSet")
    if sid == 0x78 and len(r) > 1 and r[1] not in U.UDS_RFT.modeOfOperations:
        return ("UDS_RFTPR does not know modeOfOperation 0x%02X (06 ResumeFile, ISO 14229-1:2020 15.6.3, returns a filePosition(8) "
                "that scapy does not model)" % r[1])
    if sid == 0x6C and len(r) == 2:
        return ("UDS_DDDIPR always expects a dynamicallyDefinedDataIdentifier; ISO 14229-1:2020 11.6.3 omits it in "
                "the response to 03 clearDynamicallyDefinedDataIdentifier without a DDDID (clear all)")
    if sid == 0xC6 and len(r) > 1 and (r[1] & 0x3F) == 0x04:
        return ("UDS_ROEPR has one layout (eventType numberOfIdentifiedEvents eventWindowTime eventTypeRecord); "
                "04 reportActivatedEvents returns numberOfActivatedEvents and a list of events (ISO 14229-1:2020 10.9.3)")
    if sid == 0x59 and len(r) > 1 and r[1] not in U.UDS_RDTCI.reportTypes:
        return "UDS_RDTCI.reportTypes does not know reportType 0x%02X" % r[1]
    return None


def _norm(v):
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    return v


def answers(pkt, req):
    """scapy's own request/response matching (`UDS.answers`).

    One exception, where scapy is wrong: when the request has no parameters (e.g. `37`), UDS.answers()
    only accepts a response that is not longer than the request, but ISO 14229-1:2020 15.5.3 lets the
    RequestTransferExit response carry a transferResponseParameterRecord after a bare `37` (udskit sends
    the CRC32 of the transferred range there). For those the SID pairing (request SID + 0x40) is checked.
    """
    request = U.UDS(req)
    if isinstance(request.payload, NoPayload) and pkt.service != 0x7F:
        return pkt.service == request.service + 0x40
    return pkt.answers(request)


def decode(case):
    req = bytes.fromhex(case["request"])
    r = bytes.fromhex(case["response"])
    out = {"label": case["label"], "kind": case["kind"], "response": case["response"]}
    gap = scapy_gap(r)
    try:
        pkt = U.UDS(r)
    except Exception as e:  # scapy raising is a decoding error
        out.update(verdict="not-decodable" if gap else "fail", reason=gap or "scapy raised %r" % e)
        return out
    layer = pkt.payload
    out["summary"] = pkt.summary()
    problems = []
    if isinstance(layer, NoPayload):
        if len(r) != 1:
            problems.append("no layer decoded")
        # A SID-only response (54, 6A, 77 ...): nothing to decode beyond the service.
        out["layer"] = "UDS"
        fields, tail = {}, None
    elif isinstance(layer, Raw):
        problems.append("scapy left the whole message as Raw")
        fields, tail = {}, None
    else:
        out["layer"] = type(layer).__name__
        spec = EXPECTED.get(type(layer))
        if spec is None:
            problems.append("no expectation for layer %s" % type(layer).__name__)
            fields, tail = {}, None
        else:
            try:
                fields, tail = spec(r)
            except IndexError:
                fields, tail = {}, None
                problems.append("the response is shorter than ISO 14229-1 requires for this service")
        decoded = {}
        for name, want in fields.items():
            got = layer.getfieldval(name) if name in [f.name for f in layer.fields_desc] else "<no such field>"
            decoded[name] = _norm(got)
            if _norm(got) != _norm(want):
                problems.append("%s: scapy %s, ISO %s" % (name, _norm(got), _norm(want)))
        out["fields"] = decoded
        rest = layer.payload
        if tail is None:
            if not isinstance(rest, NoPayload):
                problems.append("scapy left %d byte(s) undecoded (%s)" % (len(rest), bytes(rest).hex()))
        else:
            got_tail = bytes(rest) if not isinstance(rest, NoPayload) else b""
            if got_tail != tail:
                problems.append("trailing record: scapy %s, ISO %s" % (got_tail.hex(), tail.hex()))
    rebuilt = pkt.copy()
    rebuilt.clear_cache()
    if bytes(rebuilt) != r:
        problems.append("scapy rebuilds %s from its fields" % bytes(rebuilt).hex())
    if case["kind"] == "response" and not answers(pkt, req):
        problems.append("scapy's UDS.answers() says this does not answer the request %s" % req.hex())
    if gap:
        # A structure scapy does not model: even where its generic fields happen to take the bytes, they
        # name them wrongly (e.g. C6 04), so this is never a pass.
        out.update(verdict="not-decodable", reason=gap, problems=problems)
    elif problems:
        out.update(verdict="fail", reason="; ".join(problems))
    else:
        out["verdict"] = "pass"
    return out


def main():
    try:
        cases = json.load(sys.stdin)
    except ValueError as e:
        print(json.dumps({"error": "stdin is not JSON: %s" % e}))
        return 2
    verdicts = [decode(c) for c in cases]
    summary = {v: sum(1 for x in verdicts if x["verdict"] == v) for v in ("pass", "fail", "not-decodable")}
    print(json.dumps({"verdicts": verdicts, "summary": summary}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
