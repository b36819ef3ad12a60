/**
 * A generated root or intermediate CA certificate has entered its renewal window (its `earlyRenewalHours`, at least
 * `windowHours`), as its recorded end (`validityEndTime`) shows. The next `pulumi up` re-issues an intermediate; a
 * root must be rotated instead (re-issuing it in place would break every cluster's trust, and it is protected).
 * Advisory: the scheduled drift preview (.github/workflows/drift.yml) is what fails when a renewal is due.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts, num, str, TYPES } from "../facts";
import { clusters, configOf, say } from "../kit";
import { day, HOUR_MS } from "./intermediate-within-root";

export interface RenewalWindowConfig {
  readonly windowHours: number;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    windowHours: {
      type: "integer",
      minimum: 0,
      default: 720,
      description:
        "Warn this long before a certificate ends at the least (default 720, 30 days), or its earlyRenewalHours if longer.",
    },
  },
};

export const certificateRenewalWindow: StackValidationPolicy = {
  name: "certificate-renewal-window",
  description: "Warns when a generated root or intermediate CA certificate is inside its renewal window.",
  enforcementLevel: "advisory",
  configSchema,
  validateStack: (args, report) => {
    const { windowHours } = configOf<RenewalWindowConfig>(configSchema, args.getConfig());
    const facts = fleetFacts(args.resources);
    const owner = new Map(facts.intermediates.map((i) => [i.urn, i.cluster]));
    const now = Date.now();
    for (const cert of args.resources) {
      const root = cert.type === TYPES.selfSignedCert;
      if (!root && cert.type !== TYPES.locallySignedCert) {
        continue;
      }
      const recorded = str(cert.props, "validityEndTime");
      const end = recorded === undefined ? Number.NaN : Date.parse(recorded);
      const window = Math.max(windowHours, num(cert.props, "earlyRenewalHours") ?? 0);
      // Not yet issued (or not visible), or not yet inside its window.
      if (Number.isNaN(end) || end - now > window * HOUR_MS) {
        continue;
      }
      const days = Math.max(0, Math.floor((end - now) / (24 * HOUR_MS)));
      const value = `ends ${day(end)}, in ${days} days`;
      report(
        root
          ? say(
              `root CA ${cert.name}`,
              "the root CA is inside its renewal window",
              value,
              'rotate the root now (README "Trust": root rotation); re-issuing it in place would break every cluster\'s trust',
            )
          : say(
              clusters([owner.get(cert.urn) ?? cert.name]),
              "the intermediate CA is inside its renewal window",
              value,
              "run pulumi up to re-issue it (a new key and certificate; istiod reloads cacerts)",
            ),
        cert.urn,
      );
    }
  },
};
