/**
 * `multicluster-mesh:retiredSlots`: slots of clusters that were removed (`npm run retire-cluster` records them).
 *
 * A retired slot is never given to another cluster: its address ranges may still sit in other clusters' routes,
 * firewall rules, gateway allow lists and remote secrets until they converge, and in anything outside the fleet
 * that was told about them (VPNs, peerings, allow lists of other teams).
 */
import { z } from "zod";
import type { Issue } from "../issues";
import { dnsLabel, MAX_CLUSTER_NAME_LENGTH, says } from "./common";

export const retiredSlotSchema = z.strictObject({
  slot: z
    .number({ error: says("slot must be a number", "write the retired cluster's slot") })
    .int(says("slot must be a whole number", "write the retired cluster's slot"))
    .nonnegative(says("slot must not be negative", "write the retired cluster's slot")),
  /** The cluster that held the slot (for the reason in messages). */
  cluster: dnsLabel("cluster name", MAX_CLUSTER_NAME_LENGTH),
});

export const retiredSlotsSchema = z
  .array(retiredSlotSchema, {
    error: says("retiredSlots must be a list", "write e.g. [{ slot: 3, cluster: gcp-euw4 }]"),
  })
  .default([]);

export type RetiredSlot = z.output<typeof retiredSlotSchema>;

interface SlotHolder {
  readonly slot?: unknown;
}

/** A cluster on a retired slot is refused, with the reason. */
export function checkRetiredSlots(clusters: readonly SlotHolder[], retired: readonly RetiredSlot[]): Issue[] {
  const byslot = new Map(retired.map((r) => [r.slot, r]));
  const issues: Issue[] = [];
  clusters.forEach((c, i) => {
    const r = typeof c.slot === "number" ? byslot.get(c.slot) : undefined;
    if (r !== undefined) {
      issues.push({
        path: `clusters[${i}].slot`,
        message: `slot was retired with cluster ${r.cluster}; its ranges may still be in other clusters' routes, allow lists and remote secrets`,
        fix: "never reuse a retired slot: use the next never-used slot (npm run add-cluster picks it)",
        value: c.slot,
      });
    }
  });
  return issues;
}
