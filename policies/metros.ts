/**
 * Metro areas shared by AWS and GCP regions: two clusters of different clouds in one metro share its power grid,
 * network carriers and disaster exposure. A checked-in, dated table (not derived from region names), one map per
 * cloud from region to metro; only metros where both clouds have a region are listed.
 *
 * Compiled 2026-11-29. Sources:
 * - AWS region names and launch history: https://docs.aws.amazon.com/global-infrastructure/latest/regions/doc-history.html
 *   and the availability-zone "Geography" column of https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html.
 *   AWS does not publish a city for most regions (only a name such as "US East (N. Virginia)" and a state or
 *   country): where the metro below is a city, it is the region's name or common knowledge, not an AWS statement.
 * - GCP region cities: https://cloud.google.com/compute/docs/regions-zones.
 * Judgement calls: us-west-2 (Oregon) and us-west1 (The Dalles, Oregon) are the same state, not the same metro;
 * eu-south-2 (Spain, Aragón) and europe-southwest1 (Madrid), af-south-1 (Cape Town) and africa-south1
 * (Johannesburg), ap-east-2 (Taipei) and asia-east1 (Changhua County) are different metros.
 */
import type { Cloud } from "./fact-types";

export const METRO_TABLE_DATE = "2026-11-29";

/** metro → its AWS and GCP regions. */
const METROS: Readonly<Record<string, { readonly aws: readonly string[]; readonly gcp: readonly string[] }>> = {
  "Northern Virginia": { aws: ["us-east-1"], gcp: ["us-east4"] },
  "Columbus, Ohio": { aws: ["us-east-2"], gcp: ["us-east5"] },
  Montréal: { aws: ["ca-central-1"], gcp: ["northamerica-northeast1"] },
  Querétaro: { aws: ["mx-central-1"], gcp: ["northamerica-south1"] },
  "São Paulo": { aws: ["sa-east-1"], gcp: ["southamerica-east1"] },
  London: { aws: ["eu-west-2"], gcp: ["europe-west2"] },
  Paris: { aws: ["eu-west-3"], gcp: ["europe-west9"] },
  Frankfurt: { aws: ["eu-central-1"], gcp: ["europe-west3"] },
  Zurich: { aws: ["eu-central-2"], gcp: ["europe-west6"] },
  Stockholm: { aws: ["eu-north-1"], gcp: ["europe-north2"] },
  Milan: { aws: ["eu-south-1"], gcp: ["europe-west8"] },
  "Tel Aviv": { aws: ["il-central-1"], gcp: ["me-west1"] },
  "Hong Kong": { aws: ["ap-east-1"], gcp: ["asia-east2"] },
  Tokyo: { aws: ["ap-northeast-1"], gcp: ["asia-northeast1"] },
  Seoul: { aws: ["ap-northeast-2"], gcp: ["asia-northeast3"] },
  Osaka: { aws: ["ap-northeast-3"], gcp: ["asia-northeast2"] },
  Mumbai: { aws: ["ap-south-1"], gcp: ["asia-south1"] },
  Singapore: { aws: ["ap-southeast-1"], gcp: ["asia-southeast1"] },
  Sydney: { aws: ["ap-southeast-2"], gcp: ["australia-southeast1"] },
  Jakarta: { aws: ["ap-southeast-3"], gcp: ["asia-southeast2"] },
  Melbourne: { aws: ["ap-southeast-4"], gcp: ["australia-southeast2"] },
  Bangkok: { aws: ["ap-southeast-7"], gcp: ["asia-southeast3"] },
};

/** Per cloud: region → metro (the table above, read by cloud). */
const BY_CLOUD: Partial<Record<Cloud, Readonly<Record<string, string>>>> = {
  aws: Object.fromEntries(Object.entries(METROS).flatMap(([metro, r]) => r.aws.map((region) => [region, metro]))),
  gcp: Object.fromEntries(Object.entries(METROS).flatMap(([metro, r]) => r.gcp.map((region) => [region, metro]))),
};

/** The metro a cloud region is in, when it shares that metro with the other cloud; undefined otherwise. */
export function metroOf(cloud: Cloud, region: string): string | undefined {
  return BY_CLOUD[cloud]?.[region];
}
