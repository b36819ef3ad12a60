/**
 * GKE clusters are regional: a zonal cluster has one control-plane replica (99.5% SLA) that a zone outage takes down;
 * a regional one is replicated across zones (99.95%).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { clusterOfResource, gkeFacts, isGcpZone, regionOfZone, TYPES } from "../facts";
import { clusters, say, show } from "../kit";

export const gkeRegional: ResourceValidationPolicy = {
  name: "gke-regional",
  description: "GKE clusters are regional (location is a region, not a zone), so the control plane is replicated.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type !== TYPES.gkeCluster) {
      return;
    }
    const gke = gkeFacts(args);
    if (gke.location === undefined || !isGcpZone(gke.location)) {
      return;
    }
    const cluster = clusterOfResource(args) ?? gke.name;
    report(
      say(
        clusters([cluster]),
        "GKE cluster is zonal, so its control plane is a single replica in one zone",
        `location ${show(gke.location)}`,
        `set location to the region ${regionOfZone(gke.location)} and list the zones in nodeLocations`,
      ),
    );
  },
};
