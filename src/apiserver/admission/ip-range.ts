// IPv4 CIDR arithmetic for the service range: addresses as 32-bit numbers.
export interface Ipv4Range {
  base: number;
  size: number;
  cidr: string;
}

export function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

export function numberToIp(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function parseIpv4Cidr(cidr: string): Ipv4Range {
  const [ip, bitsText] = cidr.split('/');
  const start = ipToNumber(ip ?? '');
  const bits = Number(bitsText);
  if (start === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new Error(`invalid IPv4 CIDR ${JSON.stringify(cidr)} (a prefix from /8 to /30 is needed)`);
  const size = 2 ** (32 - bits);
  const base = start - (start % size);
  return { base, size, cidr: `${numberToIp(base)}/${bits}` };
}

/** The n-th usable address (the network address itself is never handed out). */
export function nthAddress(range: Ipv4Range, n: number): string {
  return numberToIp(range.base + n);
}
