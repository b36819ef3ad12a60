/**
 * No intermediate CA ends after the root that signed it, compared as end dates. A certificate's end
 * (`validityEndTime`) is known once it exists (CrossGuard after `up`, a refreshed state); one issued in this run ends
 * `validityPeriodHours` from now. The tls provider sets an intermediate's validity as a duration from the moment it
 * is issued, so late in a root's life the next (re-)issued intermediate would outlive it; this refuses that before it
 * happens. Fix: rotate the root, or lower `trust.intermediateValidityHours`.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts, num, str } from "../facts";
import { clusters, configKey, say } from "../kit";

export const HOUR_MS = 3_600_000;

/** When a certificate ends: its recorded end, or `validityPeriodHours` from `now` when it is issued in this run. */
export function certificateEnd(props: unknown, now: number): number | undefined {
  const recorded = str(props, "validityEndTime");
  if (recorded !== undefined && !Number.isNaN(Date.parse(recorded))) {
    return Date.parse(recorded);
  }
  const hours = num(props, "validityPeriodHours");
  return hours === undefined ? undefined : now + hours * HOUR_MS;
}

/** `2027-03-01` */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The root that signed an intermediate: its caCertPem dependency, else the only root. */
function issuerOf(cert: PolicyResource, roots: readonly PolicyResource[]): PolicyResource | undefined {
  const deps = new Set((cert.propertyDependencies?.["caCertPem"] ?? []).map((d) => d.urn));
  return roots.find((r) => deps.has(r.urn)) ?? (roots.length === 1 ? roots[0] : undefined);
}

export const intermediateWithinRoot: StackValidationPolicy = {
  name: "intermediate-within-root",
  description: "No intermediate CA ends after the root CA that signed it (end dates, not durations).",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const now = Date.now();
    const facts = fleetFacts(args.resources);
    const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
    for (const i of facts.intermediates) {
      const cert = byUrn.get(i.urn);
      const root = cert === undefined ? undefined : issuerOf(cert, facts.rootCerts);
      if (cert === undefined || root === undefined) {
        continue;
      }
      const end = certificateEnd(cert.props, now);
      const rootEnd = certificateEnd(root.props, now);
      if (end === undefined || rootEnd === undefined || end <= rootEnd) {
        continue;
      }
      const left = Math.max(0, Math.floor((rootEnd - now) / HOUR_MS));
      report(
        say(
          clusters([i.cluster ?? cert.name]),
          "the intermediate CA would end after the root CA that signed it",
          `ends ${day(end)}, root ${root.name} ends ${day(rootEnd)}`,
          `rotate the root (README "Trust": root rotation), or lower ${configKey("trust.intermediateValidityHours")} to at most ${left}`,
        ),
        cert.urn,
      );
    }
  },
};
