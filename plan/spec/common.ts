/**
 * Building blocks shared by the stack config schema sections.
 *
 * Messages given to zod are written `<what is wrong> — <what to do>`; `toIssues` in ./index.ts splits them.
 */
import { z } from "zod";

/** Joins a problem and its fix into the message form the schema uses. */
export function says(problem: string, fix: string): string {
  return `${problem} — ${fix}`;
}

/** Cluster names end up in derived names (IAM roles, GCP service accounts, node pools), so they stay short. */
export const MAX_CLUSTER_NAME_LENGTH = 20;

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A lowercase RFC 1123 DNS label of at most `max` characters. */
export function dnsLabel(what: string, max: number): z.ZodString {
  return z
    .string({ error: says(`${what} must be a string`, "write a lowercase DNS label such as aws-use1") })
    .regex(
      DNS_LABEL,
      says(
        `${what} must be a DNS label`,
        "use lowercase letters, digits and '-', starting with a letter and not ending with '-'",
      ),
    )
    .max(max, says(`${what} is longer than ${max} characters`, `shorten it to ${max} characters or fewer`));
}

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;

/** An IPv4 CIDR block such as 10.0.0.0/16 (host bits are checked by the address planner). */
export function ipv4Cidr(what: string): z.ZodString {
  return z
    .string({ error: says(`${what} must be a string`, "write an IPv4 CIDR block such as 10.20.0.0/16") })
    .regex(IPV4_CIDR, says(`${what} is not an IPv4 CIDR block`, "write it as a.b.c.d/n, e.g. 10.20.0.0/16"));
}

/** A positive whole number. */
export function positiveInt(what: string): z.ZodNumber {
  return z
    .number({ error: says(`${what} must be a number`, "write a whole number") })
    .int(says(`${what} must be a whole number`, "drop the fraction"))
    .positive(says(`${what} must be greater than zero`, "use 1 or more"));
}

/** `https://…` */
export function httpsUrl(what: string): z.ZodString {
  return z
    .string({ error: says(`${what} must be a string`, "write an https:// URL") })
    .regex(/^https:\/\/[^\s/]+(\/\S*)?$/, says(`${what} must be an https:// URL`, "write it as https://host[:port]"));
}

/** The word with its indefinite article: `an object`, `an aws`, `a string`, `a gcp` (by its first letter). */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}
