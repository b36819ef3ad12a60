/**
 * The regions this project knows, per cloud, with their zone names: the one table that `npm run add-cluster` picks
 * zones from, and that region checks can grow from. Pure data, no lookups at run time.
 *
 * Sources, read 2026-11-29:
 * - AWS: "AWS Availability Zones", https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html
 *   (zone codes are the region code plus a letter). In AWS's oldest regions, accounts created before November 2025
 *   map zone codes to physical zones per account, and a few regions offer an account only some of their codes:
 *   `aws ec2 describe-availability-zones --region <region>` shows yours; pass `--zones` when they differ.
 * - GCP: "Regions and zones", https://cloud.google.com/compute/docs/regions-zones (zones are `<region>-<letter>`).
 *
 * Regions left out (opt-in AWS regions not listed here, GovCloud, China, sovereign clouds) are added here when
 * needed; only commercial regions open to every account are listed.
 */

import type { Cloud } from "./spec";

/** The clouds whose regions and zones the table lists; an existing cluster's region and zones are plain labels. */
export type RegionCloud = "aws" | "gcp";

/** Zone letters per region, in the order `add-cluster` takes them. */
const ZONE_LETTERS: Readonly<Record<RegionCloud, Readonly<Record<string, string>>>> = {
  aws: {
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-2": "abcd",
    "ca-central-1": "abd",
    "sa-east-1": "abc",
    "eu-west-1": "abc",
    "eu-west-2": "abc",
    "eu-west-3": "abc",
    "eu-central-1": "abc",
    "eu-north-1": "abc",
    "ap-south-1": "abc",
    "ap-southeast-1": "abc",
    "ap-southeast-2": "abc",
    "ap-northeast-1": "acd",
    "ap-northeast-2": "abcd",
    "ap-northeast-3": "abc",
  },
  gcp: {
    "us-central1": "abcf",
    "us-east1": "bcd",
    "us-east4": "abc",
    "us-east5": "abc",
    "us-south1": "abc",
    "us-west1": "abc",
    "us-west2": "abc",
    "us-west3": "abc",
    "us-west4": "abc",
    "northamerica-northeast1": "abc",
    "northamerica-northeast2": "abc",
    "southamerica-east1": "abc",
    "europe-west1": "bcd",
    "europe-west2": "abc",
    "europe-west3": "abc",
    "europe-west4": "abc",
    "europe-west6": "abc",
    "europe-north1": "abc",
    "europe-central2": "abc",
    "asia-east1": "abc",
    "asia-northeast1": "abc",
    "asia-south1": "abc",
    "asia-southeast1": "abc",
    "australia-southeast1": "abc",
    // Added 2026-11-29 from the same page's region list (zones a, b, c).
    "africa-south1": "abc",
    "asia-east2": "abc",
    "asia-northeast2": "abc",
    "asia-northeast3": "abc",
    "asia-south2": "abc",
    "asia-southeast2": "abc",
    "australia-southeast2": "abc",
    "europe-north2": "abc",
    "europe-southwest1": "abc",
    "europe-west8": "abc",
    "europe-west9": "abc",
    "europe-west10": "abc",
    "europe-west12": "abc",
    "me-central1": "abc",
    "me-central2": "abc",
    "me-west1": "abc",
    "northamerica-south1": "abc",
    "southamerica-west1": "abc",
  },
};

/** Whether the table lists the cloud's regions (AWS, GCP), rather than the cluster's stack file naming them. */
export function isRegionCloud(cloud: Cloud): cloud is RegionCloud {
  return Object.hasOwn(ZONE_LETTERS, cloud);
}

/** The regions of a cloud in the table, sorted. */
export function knownRegions(cloud: RegionCloud): string[] {
  return Object.keys(ZONE_LETTERS[cloud]).sort();
}

/** The zones of a region (AWS `us-east-1a`, GCP `us-central1-a`), or undefined when the table lacks the region. */
export function zonesOf(cloud: RegionCloud, region: string): string[] | undefined {
  const letters = Object.hasOwn(ZONE_LETTERS[cloud], region) ? ZONE_LETTERS[cloud][region] : undefined;
  if (letters === undefined) {
    return undefined;
  }
  return [...letters].map((l) => NAMING[cloud].zone(region, l));
}

const DIRECTIONS: Readonly<Record<string, string>> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/** GCP spells geographies out; the convention shortens them to two letters like AWS's. */
const GCP_GEOGRAPHIES: Readonly<Record<string, string>> = {
  us: "us",
  northamerica: "na",
  southamerica: "sa",
  europe: "eu",
  asia: "as",
  australia: "au",
  me: "me",
  africa: "af",
};

/** How a cloud spells its zone and region names. */
interface RegionNaming {
  /** A zone of the region, from its letter. */
  zone(region: string, letter: string): string;
  /** A region name, capturing its geography, direction and number. */
  readonly region: RegExp;
  /** The geography's two-letter form in the naming convention; undefined for one the convention lacks. */
  geography(geography: string): string | undefined;
}

const NAMING: Readonly<Record<RegionCloud, RegionNaming>> = {
  // us-east-1a; us-east-1: the geography is already two letters.
  aws: { zone: (region, l) => `${region}${l}`, region: /^([a-z]{2})-([a-z]+)-(\d+)$/, geography: (g) => g },
  // us-central1-a; europe-west4: spelled out.
  gcp: {
    zone: (region, l) => `${region}-${l}`,
    region: /^([a-z]+)-([a-z]+?)(\d+)$/,
    geography: (g) => GCP_GEOGRAPHIES[g],
  },
};

/**
 * The region part of the naming convention `<cloud>-<region abbreviation>`: geography, direction initials and
 * number (us-east-1 → use1, ap-southeast-2 → apse2, us-central1 → usc1, europe-west4 → euw4); undefined when the
 * region name does not follow its cloud's pattern.
 */
export function regionAbbreviation(cloud: RegionCloud, region: string): string | undefined {
  const naming = NAMING[cloud];
  const match = naming.region.exec(region);
  if (match === null) {
    return undefined;
  }
  const [, geography = "", direction = "", number = ""] = match;
  const geo = naming.geography(geography);
  const dir = DIRECTIONS[direction];
  return geo === undefined || dir === undefined ? undefined : `${geo}${dir}${number}`;
}

/** The conventional cluster name, e.g. `aws-use1`, `gcp-euw4`. */
export function conventionalClusterName(cloud: RegionCloud, region: string): string | undefined {
  const abbreviation = regionAbbreviation(cloud, region);
  return abbreviation === undefined ? undefined : `${cloud}-${abbreviation}`;
}

/**
 * Every AWS region, as the `Region` enum of @pulumi/aws 7.48.0 lists them ("any valid Amazon region that may be
 * targeted with deployments"): commercial, China, GovCloud, ISO and the European Sovereign Cloud. A copy, because
 * plan/ imports no Pulumi package; test/plan/regions.test.ts fails when it drifts from the installed enum.
 */
export const AWS_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "cn-north-1",
  "cn-northwest-1",
  "eusc-de-east-1",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-iso-east-1",
  "us-iso-west-1",
  "us-isob-east-1",
  "us-isob-west-1",
  "eu-isoe-west-1",
  "us-isof-east-1",
  "us-isof-south-1",
];

/**
 * The regions a cluster may name without `allowUnlistedRegion`: every AWS region of the SDK's enum; the GCP regions
 * of the table above.
 */
export function listedRegions(cloud: RegionCloud): readonly string[] {
  return LISTED_REGIONS[cloud]();
}

const LISTED_REGIONS: Readonly<Record<RegionCloud, () => readonly string[]>> = {
  aws: () => AWS_REGIONS,
  gcp: () => knownRegions("gcp"),
};
