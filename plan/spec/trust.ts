/**
 * `multicluster-mesh:trust`: the environment's root CA and the per-cluster intermediates Istio plugs in.
 * Defaults are written here once.
 */
import { z } from "zod";
import { positiveInt } from "./common";

export const trustSchema = z
  .strictObject({
    /** Root certificate validity (10 years, as Istio's own tooling). */
    rootValidityHours: positiveInt("trust.rootValidityHours").default(87600),
    /** Intermediate validity; must lie inside the root's. */
    intermediateValidityHours: positiveInt("trust.intermediateValidityHours").default(17520),
    /** Re-issue a certificate this long before it expires. */
    earlyRenewalHours: positiveInt("trust.earlyRenewalHours").default(720),
  })
  .default({ rootValidityHours: 87600, intermediateValidityHours: 17520, earlyRenewalHours: 720 });

export type TrustSpec = z.output<typeof trustSchema>;
