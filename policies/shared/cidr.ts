/**
 * IPv4 CIDR helpers for the planners and the policy pack, over the ip-num library (no hand-written bit arithmetic).
 *
 * Plans carry ranges as strings ("10.4.0.0/17"); these helpers parse them on demand. Every function taking a string
 * expects valid CIDR notation (the config schema checks the notation; `isAligned` checks host bits).
 */
import { IPv4, IPv4CidrRange, IPv4Prefix, Validator } from "ip-num";

/** The private address blocks of RFC 1918. */
export const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** A parsed block and its bounds, read once from ip-num. */
interface Parsed {
  readonly range: IPv4CidrRange;
  readonly first: bigint;
  readonly last: bigint;
  readonly prefix: number;
}

/**
 * ip-num builds new objects for every bound it reports, which makes repeated overlap checks slow (a fleet plan
 * compares every range with every other); parsed blocks are kept here, keyed by their text. Bounded, deterministic.
 */
const parsed = new Map<string, Parsed>();
const MAX_CACHED = 10_000;

function parse(text: string): Parsed {
  let p = parsed.get(text);
  if (p === undefined) {
    const range = IPv4CidrRange.fromCidr(text);
    p = {
      range,
      first: range.getFirst().getValue(),
      last: range.getLast().getValue(),
      prefix: Number(range.getPrefix().getValue()),
    };
    if (parsed.size >= MAX_CACHED) {
      parsed.clear();
    }
    parsed.set(text, p);
  }
  return p;
}

const RFC1918_PARSED = RFC1918.map(parse);

/** True when no host bits are set: `10.0.0.0/16` is aligned, `10.0.0.1/16` is not. */
export function isAligned(text: string): boolean {
  return Validator.isValidIPv4CidrRange(text)[0];
}

/** The block a CIDR denotes, written from its first address: `10.0.0.1/16` → `10.0.0.0/16`. */
export function canonical(text: string): string {
  const p = parse(text);
  return `${p.range.getFirst().toString()}/${p.prefix}`;
}

/** The prefix length: `10.0.0.0/16` → 16. */
export function prefixOf(text: string): number {
  return parse(text).prefix;
}

/** How many addresses the block holds. */
export function sizeOf(text: string): bigint {
  return parse(text).range.getSize();
}

/** The number of addresses in a block of the given prefix length: 24 → 256. */
export function sizeOfPrefix(prefix: number): bigint {
  return IPv4Prefix.fromNumber(BigInt(prefix)).toRangeSize();
}

/** True when the two blocks share at least one address. */
export function overlaps(a: string, b: string): boolean {
  const [p, q] = [parse(a), parse(b)];
  return p.first <= q.last && q.first <= p.last;
}

/** True when `inner` lies entirely inside `outer` (a block is inside itself). */
export function isInside(inner: string, outer: string): boolean {
  return within(parse(inner), parse(outer));
}

/** True when the block lies inside one of the RFC 1918 private blocks. */
export function isRfc1918(text: string): boolean {
  const p = parse(text);
  return RFC1918_PARSED.some((q) => within(p, q));
}

/** How many blocks of length `prefix` the parent holds (0 when `prefix` is shorter than the parent's). */
export function blockCount(parent: string, prefix: number): number {
  const p = prefixOf(parent);
  return prefix < p ? 0 : Number(sizeOf(parent) / sizeOfPrefix(prefix));
}

/**
 * The `index`-th block of length `prefix` inside `parent`, counting from its first address;
 * undefined when the parent holds fewer blocks.
 */
export function subBlock(parent: string, prefix: number, index: number): string | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= blockCount(parent, prefix)) {
    return undefined;
  }
  const first = parse(parent).first + BigInt(index) * sizeOfPrefix(prefix);
  return new IPv4CidrRange(IPv4.fromNumber(first), IPv4Prefix.fromNumber(BigInt(prefix))).toCidrString();
}

function within(inner: Parsed, outer: Parsed): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

/** The longest prefix whose block holds at least `addresses` addresses (0 when even a /0 is too small). */
export function prefixHolding(addresses: bigint): number {
  for (let prefix = 32; prefix > 0; prefix--) {
    if (sizeOfPrefix(prefix) >= addresses) {
      return prefix;
    }
  }
  return 0;
}
