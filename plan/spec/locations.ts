/**
 * Regions and zones of cloud clusters, checked against each cloud's real lists (plan/regions.ts): AWS regions from
 * the SDK's enum, GCP regions and zones from the dated table. AWS zone letters are per account, so AWS zones are
 * checked by shape (`<region><letter>`). A region or zone newer than the lists passes with the cluster's
 * `allowUnlistedRegion: true`, which still checks the name's shape.
 */
import type { Issue } from "../issues";
import { listedRegions, type RegionCloud, zonesOf } from "../regions";

const REGION_FORMAT: Record<RegionCloud, { pattern: RegExp; example: string }> = {
  aws: { pattern: /^[a-z]{2,4}(-[a-z]+)?-[a-z]+-\d+$/, example: "us-east-1" },
  gcp: { pattern: /^[a-z]+-[a-z]+\d+$/, example: "us-central1" },
};

/** AWS zones are the region plus a letter (us-east-1a); GCP zones the region, '-', a letter (us-central1-a). */
function zoneBelongs(cloud: RegionCloud, region: string, zone: string): boolean {
  return cloud === "aws" ? new RegExp(`^${region}[a-z]$`).test(zone) : new RegExp(`^${region}-[a-z]$`).test(zone);
}

function exampleZone(cloud: RegionCloud, region: string): string {
  return cloud === "aws" ? `${region}a` : `${region}-a`;
}

/** Edit distance, for "did you mean" (region names are short, so the quadratic table is cheap). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The listed region closest to a misspelt one, when it is close (at most two edits). */
function closest(region: string, listed: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of listed) {
    const d = distance(region, name);
    if (d <= 2 && (best === undefined || d < best.d)) {
      best = { name, d };
    }
  }
  return best?.name;
}

const TITLE: Record<RegionCloud, string> = { aws: "AWS", gcp: "GCP" };

export interface LocatedCluster {
  readonly cloud: RegionCloud;
  readonly region: string;
  readonly zones: readonly string[];
  readonly allowUnlistedRegion: boolean;
}

/** The region and zone rules of one AWS or GCP cluster at config path `at`. */
export function checkLocation(c: LocatedCluster, at: string): Issue[] {
  const format = REGION_FORMAT[c.cloud];
  const title = TITLE[c.cloud];
  const hatch = `${at}.allowUnlistedRegion: true`;
  if (!format.pattern.test(c.region)) {
    return [
      {
        path: `${at}.region`,
        message: `not an ${title} region name`,
        fix: `write a region name such as ${format.example}`,
        value: c.region,
      },
    ];
  }
  const listed = listedRegions(c.cloud);
  if (!listed.includes(c.region) && !c.allowUnlistedRegion) {
    const suggestion = closest(c.region, listed);
    return [
      {
        path: `${at}.region`,
        message: `not in the list of ${title} regions`,
        fix: `${suggestion === undefined ? `use a region such as ${format.example}` : `did you mean ${suggestion}?`}; for a region newer than the list, set ${hatch}`,
        value: c.region,
      },
    ];
  }
  const issues: Issue[] = [];
  const known = zonesOf(c.cloud, c.region);
  c.zones.forEach((zone, z) => {
    if (!zoneBelongs(c.cloud, c.region, zone)) {
      issues.push({
        path: `${at}.zones[${z}]`,
        message: `zone is not in region ${c.region}`,
        fix: `use zones of ${c.region} such as ${exampleZone(c.cloud, c.region)}, or change the region`,
        value: zone,
      });
    } else if (c.cloud === "gcp" && known !== undefined && !known.includes(zone) && !c.allowUnlistedRegion) {
      issues.push({
        path: `${at}.zones[${z}]`,
        message: `not a zone of ${c.region}`,
        fix: `use one of: ${known.join(", ")}; for a zone newer than the list, set ${hatch}`,
        value: zone,
      });
    }
  });
  return issues;
}
