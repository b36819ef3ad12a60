/**
 * Edits of a stack file's text that keep everything else byte for byte: its comments, key order, flow or block
 * style and spacing. The file is parsed with `yaml` (whose nodes carry their source ranges) to find where a cluster
 * starts and ends; the edit itself splices text, so nothing outside it is re-serialised. Pure.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap, type YAMLSeq } from "yaml";
import { CONFIG_NAMESPACE } from "../plan/issues";
import type { RetiredSlot } from "../plan/spec";

export const CLUSTERS_KEY = `${CONFIG_NAMESPACE}:clusters`;
export const RETIRED_KEY = `${CONFIG_NAMESPACE}:retiredSlots`;

/** A stack file this module cannot edit safely; the message says why. */
export class StackEditError extends Error {}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf("\n", at - 1) + 1;
}

/** The offset just past the line that contains `at - 1` (where a following line would start). */
function afterLine(text: string, at: number): number {
  if (at > 0 && text[at - 1] === "\n") {
    return at;
  }
  const nl = text.indexOf("\n", at);
  return nl < 0 ? text.length : nl + 1;
}

function rangeOf(node: Node): [number, number, number] {
  const range = node.range;
  if (range === undefined || range === null) {
    throw new StackEditError("the stack file's YAML has no source positions");
  }
  return range;
}

function configMap(doc: Document): YAMLMap {
  const config = doc.get("config", true);
  if (!isMap(config)) {
    throw new StackEditError("the stack file has no `config:` map");
  }
  return config;
}

function blockSeqAt(doc: Document, key: string): YAMLSeq | undefined {
  const node = configMap(doc).get(key, true);
  if (node === undefined) {
    return undefined;
  }
  if (!isSeq(node) || node.flow === true) {
    throw new StackEditError(`${key} must be a block list (one \`- \` item per line) to be edited by this command`);
  }
  return node;
}

function parse(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new StackEditError(`the stack file is not valid YAML: ${doc.errors[0]?.message.split("\n")[0] ?? ""}`);
  }
  return doc;
}

/** Indentation of an item's dash and of its content, read from the item's first line. */
function itemIndent(text: string, item: Node): { dash: string; content: string } {
  const start = rangeOf(item)[0];
  const prefix = text.slice(lineStart(text, start), start);
  const content = " ".repeat(prefix.length);
  const dash = /^( *)- +$/.exec(prefix)?.[1] ?? " ".repeat(Math.max(0, prefix.length - 2));
  return { dash, content };
}

/** A new cluster as block YAML (zones as a flow list, like the shipped stacks), indented as a list item. */
export function renderClusterItem(cluster: Readonly<Record<string, unknown>>, dash: string, content: string): string {
  const doc = new Document(cluster);
  const zones = (doc.contents as YAMLMap).get("zones", true);
  if (isSeq(zones)) {
    zones.flow = true;
  }
  const lines = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd().split("\n");
  return lines.map((l, i) => (i === 0 ? `${dash}- ${l}` : `${content}${l}`)).join("\n") + "\n";
}

/** Appends a cluster to `multicluster-mesh:clusters`, after the last one. */
export function appendCluster(text: string, cluster: Readonly<Record<string, unknown>>): string {
  const doc = parse(text);
  const seq = blockSeqAt(doc, CLUSTERS_KEY);
  const last = seq?.items[seq.items.length - 1] as Node | undefined;
  if (seq === undefined || last === undefined) {
    throw new StackEditError(`the stack file lists no clusters under ${CLUSTERS_KEY}`);
  }
  const { dash, content } = itemIndent(text, last);
  const at = afterLine(text, rangeOf(last)[1]);
  const head = text.slice(0, at);
  return `${head}${head.endsWith("\n") ? "" : "\n"}${renderClusterItem(cluster, dash, content)}${text.slice(at)}`;
}

function nameOf(item: unknown): string | undefined {
  if (!isMap(item)) {
    return undefined;
  }
  const name = item.get("name", true);
  return isScalar(name) && typeof name.value === "string" ? name.value : undefined;
}

/** The names of the clusters in the file, in order. */
export function clusterNames(text: string): string[] {
  const seq = blockSeqAt(parse(text), CLUSTERS_KEY);
  return (seq?.items ?? []).map(nameOf).filter((n): n is string => n !== undefined);
}

/** Removes the cluster named `name`, with the comment lines directly above it at its indentation. */
export function removeCluster(text: string, name: string): string {
  const seq = blockSeqAt(parse(text), CLUSTERS_KEY);
  const item = seq?.items.find((i) => nameOf(i) === name) as Node | undefined;
  if (item === undefined) {
    throw new StackEditError(`no cluster named ${name} in ${CLUSTERS_KEY}`);
  }
  const { dash } = itemIndent(text, item);
  let start = lineStart(text, rangeOf(item)[0]);
  while (start > 0) {
    const previous = lineStart(text, start - 1);
    if (!text.slice(previous, start).startsWith(`${dash}#`)) {
      break;
    }
    start = previous;
  }
  const end = afterLine(text, rangeOf(item)[1]);
  return text.slice(0, start) + text.slice(end);
}

function retiredItem(r: RetiredSlot): string {
  return `{ slot: ${r.slot}, cluster: ${r.cluster} }`;
}

/** Records a retired slot in `multicluster-mesh:retiredSlots` (created just before the clusters when absent). */
export function recordRetiredSlot(text: string, retired: RetiredSlot): string {
  const doc = parse(text);
  const existing = blockSeqAt(doc, RETIRED_KEY);
  const last = existing?.items[existing.items.length - 1] as Node | undefined;
  if (last !== undefined) {
    const { dash } = itemIndent(text, last);
    const at = afterLine(text, rangeOf(last)[1]);
    return `${text.slice(0, at)}${dash}- ${retiredItem(retired)}\n${text.slice(at)}`;
  }
  if (existing !== undefined) {
    throw new StackEditError(`${RETIRED_KEY} is an empty block list; remove the key or list its slots`);
  }
  const config = configMap(doc);
  const pair = config.items.find((p) => isScalar(p.key) && p.key.value === CLUSTERS_KEY);
  if (pair === undefined || !isScalar(pair.key)) {
    throw new StackEditError(`the stack file lists no clusters under ${CLUSTERS_KEY}`);
  }
  // Before the clusters (and the comment lines above them), so a cluster appended at the end of the file by hand
  // still lands in the clusters list.
  const keyStart = rangeOf(pair.key)[0];
  const indent = " ".repeat(keyStart - lineStart(text, keyStart));
  let at = lineStart(text, keyStart);
  while (at > 0 && text.slice(lineStart(text, at - 1), at).startsWith(`${indent}#`)) {
    at = lineStart(text, at - 1);
  }
  const block = [
    `${indent}# Slots of retired clusters, never given to another cluster (npm run retire-cluster records them).`,
    `${indent}${RETIRED_KEY}:`,
    `${indent}  - ${retiredItem(retired)}`,
  ].join("\n");
  return `${text.slice(0, at)}${block}\n${text.slice(at)}`;
}
