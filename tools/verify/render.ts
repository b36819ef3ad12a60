/**
 * The verify report for people: a text matrix for a terminal, and markdown (the matrix, a Mermaid diagram colouring
 * broken links red and unknown ones grey, and every failure with its reason) for a pull request or incident channel.
 */
import { mermaidId, mermaidLabel } from "../render-mermaid";
import type { CheckResult, LinkStatus, VerifyDocument } from "./report";

const TEXT_CELL: Record<LinkStatus, string> = { ok: "ok", broken: "BROKEN", unknown: "?" };
const MARKDOWN_CELL: Record<LinkStatus, string> = { ok: "✅ ok", broken: "❌ broken", unknown: "❔ unknown" };

function cell(doc: VerifyDocument, from: string, to: string): LinkStatus | undefined {
  return doc.links.find((l) => l.from === from && l.to === to)?.status;
}

function verdict(doc: VerifyDocument): string {
  const n = doc.failures.length;
  return doc.healthy ? "healthy" : `BROKEN, ${n} failure${n === 1 ? "" : "s"}`;
}

function where(c: CheckResult): string {
  return c.peer === null ? c.cluster : `${c.cluster} → ${c.peer}`;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - [...text].length));
}

export function renderVerifyText(doc: VerifyDocument): string {
  const lines = [`fleet ${doc.environment} (${doc.mesh}): ${verdict(doc)}`, ""];
  const corner = "from \\ to";
  const first = Math.max(corner.length, ...doc.clusters.map((c) => c.length)) + 2;
  const width = Math.max("BROKEN".length, ...doc.clusters.map((c) => c.length)) + 2;
  lines.push((pad(corner, first) + doc.clusters.map((c) => pad(c, width)).join("")).trimEnd());
  for (const from of doc.clusters) {
    const cells = doc.clusters.map((to) => pad(to === from ? "-" : TEXT_CELL[cell(doc, from, to) ?? "unknown"], width));
    lines.push((pad(from, first) + cells.join("")).trimEnd());
  }
  lines.push(
    "",
    "A row is the cluster whose side of the link was checked (its remote secret, its istiod's view, its tunnel).",
  );
  if (doc.failures.length > 0) {
    lines.push("", "failures:");
    const w1 = Math.max(...doc.failures.map((f) => [...where(f)].length)) + 2;
    const w2 = Math.max(...doc.failures.map((f) => f.check.length)) + 2;
    for (const f of doc.failures) {
      lines.push(`  ${pad(where(f), w1)}${pad(f.check, w2)}${f.reason}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

const LINK_STYLE: Record<LinkStatus, string> = {
  ok: "stroke:#2ca02c,stroke-width:2px",
  broken: "stroke:#d62728,stroke-width:3px",
  unknown: "stroke:#7f7f7f,stroke-width:2px,stroke-dasharray:4",
};

export function renderVerifyMermaid(doc: VerifyDocument): string {
  const lines = ["```mermaid", "flowchart LR"];
  const brokenClusters = new Set(doc.failures.filter((f) => f.peer === null).map((f) => f.cluster));
  for (const c of doc.clusters) {
    lines.push(`  ${mermaidId(`c_${c}`)}[${mermaidLabel(c)}]`);
  }
  doc.links.forEach((l) => {
    lines.push(`  ${mermaidId(`c_${l.from}`)} -->|${l.status}| ${mermaidId(`c_${l.to}`)}`);
  });
  doc.links.forEach((l, i) => {
    lines.push(`  linkStyle ${i} ${LINK_STYLE[l.status]}`);
  });
  lines.push("  classDef broken fill:#fdd,stroke:#d62728,stroke-width:2px");
  for (const c of doc.clusters.filter((c) => brokenClusters.has(c))) {
    lines.push(`  class ${mermaidId(`c_${c}`)} broken`);
  }
  lines.push("```");
  return lines.join("\n");
}

export function renderVerifyMarkdown(doc: VerifyDocument): string {
  const out = [
    `## Fleet health: ${doc.environment} (${doc.mesh}): ${doc.healthy ? "✅ healthy" : `❌ ${verdict(doc)}`}`,
    "",
  ];
  out.push(`| from \\ to | ${doc.clusters.join(" | ")} |`);
  out.push(`| --- | ${doc.clusters.map(() => "---").join(" | ")} |`);
  for (const from of doc.clusters) {
    const cells = doc.clusters.map((to) => (to === from ? "—" : MARKDOWN_CELL[cell(doc, from, to) ?? "unknown"]));
    out.push(`| **${from}** | ${cells.join(" | ")} |`);
  }
  out.push("", renderVerifyMermaid(doc));
  if (doc.failures.length > 0) {
    out.push("", "| Cluster | Peer | Check | Reason |", "| --- | --- | --- | --- |");
    for (const f of doc.failures) {
      out.push(`| ${f.cluster} | ${f.peer ?? ""} | ${f.check} | ${escapeCell(f.reason)} |`);
    }
  }
  return `${out.join("\n")}\n`;
}
