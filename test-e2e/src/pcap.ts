// Reads the UDP-over-IPv4 datagrams of a packet capture in the classic pcap format (what
// `dumpcap -P` writes), with their capture times, for benchmarks that time messages on the wire.

/** One captured UDP datagram. */
export interface UdpDatagram {
  /** Capture time in microseconds since the epoch. */
  readonly timeUs: number;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Buffer;
}

const GLOBAL_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
const MAGIC_MICROSECONDS = 0xa1b2c3d4;
const MAGIC_NANOSECONDS = 0xa1b23c4d;
const ETHERTYPE_IPV4 = 0x0800;
const IP_PROTOCOL_UDP = 17;

/** Where the link layer's ethertype field is, and where its payload starts, per link type. */
const LINK_LAYERS: ReadonlyMap<number, { ethertypeAt: number; payloadAt: number }> = new Map([
  [1, { ethertypeAt: 12, payloadAt: 14 }], // Ethernet, as Linux captures on "lo"
  [113, { ethertypeAt: 14, payloadAt: 16 }], // Linux "cooked" capture (the "any" device)
]);

/** The UDP datagram in `frame` (a link-layer frame), or undefined for any other packet. */
function udpIn(
  frame: Buffer,
  link: { ethertypeAt: number; payloadAt: number },
  timeUs: number,
): UdpDatagram | undefined {
  if (frame.length < link.payloadAt + 20 || frame.readUInt16BE(link.ethertypeAt) !== ETHERTYPE_IPV4)
    return undefined;
  const ip = frame.subarray(link.payloadAt);
  const headerLength = (ip[0] ?? 0) & 0x0f;
  // A fragment (more-fragments flag or an offset) holds no whole datagram.
  const fragmented = (ip.readUInt16BE(6) & 0x3fff) !== 0;
  if (ip[9] !== IP_PROTOCOL_UDP || fragmented || ip.length < headerLength * 4 + 8) return undefined;
  const udp = ip.subarray(headerLength * 4);
  const length = udp.readUInt16BE(4);
  if (length < 8 || length > udp.length) return undefined;
  return {
    timeUs,
    sourcePort: udp.readUInt16BE(0),
    destinationPort: udp.readUInt16BE(2),
    payload: udp.subarray(8, length),
  };
}

/**
 * The UDP datagrams over IPv4 in a pcap file, in capture order; other packets, and packets cut
 * short by the snapshot length, are left out.
 * @throws when `file` is not a pcap file or its link type is neither Ethernet nor Linux cooked.
 */
export function udpDatagramsOf(file: Buffer): UdpDatagram[] {
  if (file.length < GLOBAL_HEADER_LENGTH) throw new Error("not a pcap file: too short");
  const littleEndian = [MAGIC_MICROSECONDS, MAGIC_NANOSECONDS].includes(file.readUInt32LE(0));
  const read32 = (offset: number) =>
    littleEndian ? file.readUInt32LE(offset) : file.readUInt32BE(offset);
  const magic = read32(0);
  if (magic !== MAGIC_MICROSECONDS && magic !== MAGIC_NANOSECONDS)
    throw new Error(`not a pcap file: magic number 0x${file.readUInt32BE(0).toString(16)}`);
  const fractionPerMicrosecond = magic === MAGIC_NANOSECONDS ? 1000 : 1;
  const linkType = read32(20);
  const link = LINK_LAYERS.get(linkType);
  if (link === undefined) throw new Error(`pcap link type ${linkType} is not supported`);
  const datagrams: UdpDatagram[] = [];
  let offset = GLOBAL_HEADER_LENGTH;
  while (offset + RECORD_HEADER_LENGTH <= file.length) {
    const timeUs = read32(offset) * 1e6 + read32(offset + 4) / fractionPerMicrosecond;
    const capturedLength = read32(offset + 8);
    const originalLength = read32(offset + 12);
    const start = offset + RECORD_HEADER_LENGTH;
    offset = start + capturedLength;
    if (offset > file.length) break; // the capture was stopped while writing this record
    if (capturedLength < originalLength) continue;
    const datagram = udpIn(file.subarray(start, offset), link, timeUs);
    if (datagram !== undefined) datagrams.push(datagram);
  }
  return datagrams;
}
