/** IPv4 and CIDR arithmetic for the VPC checks (no dependency needed for this little). */

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function parseCidr(cidr: string): { base: number; size: number; prefix: number } {
  const [ip, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  const size = 2 ** (32 - prefix);
  return { base: ipToInt(ip) - (ipToInt(ip) % size), size, prefix };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const { base, size } = parseCidr(cidr);
  const n = ipToInt(ip);
  return n >= base && n < base + size;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.base < y.base + y.size && y.base < x.base + x.size;
}

/** True when the CIDR's address has no host bits set (10.0.1.0/24, not 10.0.1.5/24). */
export function isNetworkAddress(cidr: string): boolean {
  const [ip] = cidr.split('/');
  return parseCidr(cidr).base === ipToInt(ip);
}

/** LKE's fixed pod and service ranges: VPC subnets must not overlap them. */
export const LKE_RESERVED_CIDRS = ['10.2.0.0/16', '10.128.0.0/16'] as const;
