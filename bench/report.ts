/** Turns bench results into markdown, a small SVG chart (and a PNG of it, when chromium is at hand), and README blocks. */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { CHROMIUM_ARGS } from "../test-support/chromium.ts";
import type { Results } from "./run.ts";
import { root, type Spread } from "./shared.ts";
import type { StorageResults } from "./storage.ts";
import { MiB } from "./storage-shared.ts";

const fixed = (n: number, digits = 0) => n.toFixed(digits);
const range = (s: Spread, digits = 0) => `${fixed(s.median, digits)} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;
const ratio = (s: Spread) => `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
const kB = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 2 : 1)} kB`;
const signed = (n: number, digits = 0) => `${n >= 0 ? "+" : "−"}${Math.abs(n).toFixed(digits)}`;
const mark = (ok: boolean) => (ok ? "✅" : "❌");

/** The tables, with `###` headings, for latest.md and the READMEs. `chart` is the image path relative to the file. */
export function renderMarkdown(r: Results, chart?: string): string {
  const out: string[] = [];
  out.push(
    `Measured by \`pnpm bench\` on ${r.startedAt.slice(0, 16).replace("T", " ")} UTC: ${machineLine(r)}. ` +
      `All figures from this one run: median (min–max). The bench took ${r.durationS.total.toFixed(0)} s.`,
    "",
  );

  // Per call.
  const c = r.config;
  out.push(
    "### Per-call overhead",
    "",
    `Each provider's presign operation against a loopback mock of the provider (scripts/mock-providers.ts, in its own process) ` +
      `over keep-alive connections. A fresh process per provider: ${c.warmup} warm-up calls per subject, then ${c.rounds} rounds of ` +
      `${c.calls} sequential calls per subject, subjects interleaved in a rotating order each round. µs/call is wall time; ` +
      `"× raw fetch" divides by raw \`fetch\` in the same round; CPU is the client process's user + system time per call ` +
      `(all its threads, GC included). Every subject sends the same request (captured from the presign client) and must get ` +
      `the signed URL back. presign runs with its default middleware: 2 retries and a 10 s per-attempt timeout armed; the ` +
      `official client runs with its defaults (no retries, no timeout).`,
    "",
    "| provider | subject | µs/call | × raw fetch | × official | client CPU µs/call | new connections |",
    "|---|---|---:|---:|---:|---:|---:|",
  );
  for (const p of r.perCall) {
    for (const s of p.subjects) {
      out.push(
        `| ${p.provider} | ${s.label} | ${range(s.wallUs)} | ${ratio(s.vsFetch)} | ${s.vsOfficial ? ratio(s.vsOfficial) : ""} | ${range(s.cpuUs)} | ${s.newConnections} |`,
      );
    }
  }
  const presignVsFetch = r.perCall.map((p) => ({ provider: p.provider, s: p.subjects.find((s) => s.id === "presign")! }));
  const datadog = r.perCall.find((p) => p.provider === "datadog");
  const presignDd = datadog?.subjects.find((s) => s.id === "presign");
  const official = datadog?.subjects.find((s) => s.id === "official");
  out.push(
    "",
    "Targets:",
    "",
    `- presign (default transport) ≤ 1.10× raw \`fetch\`: ${presignVsFetch.map(({ provider, s }) => `${provider} ${s.vsFetch.median.toFixed(2)}× ${mark(s.vsFetch.median <= 1.1)}`).join(", ")}.`,
  );
  if (presignDd?.vsOfficial && official) {
    out.push(
      `- presign at least as fast per call as the official Datadog client: ${fixed(presignDd.wallUs.median)} vs ${fixed(official.wallUs.median)} µs, ` +
        `${presignDd.vsOfficial.median.toFixed(2)}× per round ${mark(presignDd.vsOfficial.median <= 1)}.`,
    );
  }

  // Startup.
  const baseline = r.startup.find((s) => s.id === "baseline")!;
  out.push(
    "",
    "### Cold import",
    "",
    `${r.config.processes} fresh processes per subject (interleaved), each loading one package where it is installed and ` +
      "exiting. Process time is spawn to exit, seen by the parent; import time is measured inside the process.",
    "",
    "| subject | process ms | over `node -e 0` | import ms (in process) |",
    "|---|---:|---:|---:|",
  );
  for (const s of r.startup) {
    out.push(
      `| ${s.label} | ${range(s.wallMs)} | ${s.id === "baseline" ? "" : signed(s.overBaselineMs)} | ${s.id === "baseline" ? "" : range(s.importMs, 1)} |`,
    );
  }
  out.push(
    "",
    "### Memory",
    "",
    "Resident set size right after the import, in the same fresh processes.",
    "",
    "| subject | RSS MB | over `node -e 0` | JS heap used MB |",
    "|---|---:|---:|---:|",
  );
  for (const s of r.startup) {
    out.push(`| ${s.label} | ${range(s.rssMB, 1)} | ${s.id === baseline.id ? "" : signed(s.overBaselineMB, 1)} | ${range(s.heapUsedMB, 1)} |`);
  }

  // Bundles.
  const officialBundle = (platform: string) => r.bundle.find((b) => b.subject === "official" && b.platform === platform);
  out.push(
    "",
    "### Bundle",
    "",
    "A one-function app that makes a client and asks for one presigned URL, bundled by esbuild with everything it imports " +
      "(ESM, minified), then gzip -9.",
    "",
    "| app imports | platform | minified | min + gzip | gzip vs official |",
    "|---|---|---:|---:|---:|",
  );
  for (const b of r.bundle) {
    const name = b.subject === "official" ? "@datadog/datadog-api-client" : `@presign/${b.subject}`;
    if ("error" in b && b.error) {
      out.push(`| ${name} | ${b.platform} | does not bundle: ${b.error.replaceAll("|", "\\|")} | | |`);
      continue;
    }
    const off = officialBundle(b.platform);
    const vs = off && "gzipBytes" in off && off.gzipBytes && b.subject !== "official" ? `${((b.gzipBytes! / off.gzipBytes) * 100).toFixed(2)} %` : "";
    out.push(`| ${name} | ${b.platform} | ${kB(b.minBytes!)} | ${kB(b.gzipBytes!)} | ${vs} |`);
  }

  // Codegen and turbo.
  const g = r.codegen;
  const t = r.turbo;
  const last = t.repeats.at(-1);
  const cachedNote = t.repeats.length
    ? `${t.repeats.filter((x) => x.fullTurbo).length}/${t.repeats.length} runs FULL TURBO; last: ${last?.cached}/${last?.total} cached, turbo reports ${last?.turboTime}`
    : `turbo did not run: ${t.first.error}`;
  out.push(
    "",
    "### Codegen and build",
    "",
    "| task | ms | note |",
    "|---|---:|---|",
    `| codegen, all ${g.specs} specs, first pass in a fresh process | ${fixed(g.firstPass.ms)} | ${Object.entries(g.firstPass.perSpec)
      .map(([k, v]) => `${k} ${fixed(v)}`)
      .join(", ")}; loading the generator ${fixed(g.loadMs)} ms more |`,
    `| codegen, all ${g.specs} specs, warm pass | ${range(g.warmPassMs)} | ${g.files} files, in memory |`,
    `| \`pnpm generate:check\` (tsx scripts/generator/src/cli.ts --check, whole command) | ${range(g.cliMs)} | ${g.cliStatus === 0 ? "generated code up to date" : "reported stale generated code"} |`,
    `| \`turbo run build\`, nothing changed | ${t.wallMs ? range(t.wallMs) : "—"} | ${cachedNote} |`,
  );
  out.push(...storageSection(r.storage));
  if (chart) out.push("", `![per-call time, cold import, memory and bundle size](${chart})`);
  return `${out.join("\n")}\n`;
}

/** The storage leg: presign's transfers against the same work by hand, with the issue's targets, met or not. */
function storageSection(s: StorageResults): string[] {
  const { config: c } = s;
  const mib = (bytes: number) => fixed(bytes / MiB);
  const out = [
    "",
    "### Storage leg",
    "",
    `${mib(c.size)} MiB over loopback, ${c.rounds} round${c.rounds === 1 ? "" : "s"}, the two sides alternating which goes first. ` +
      "The loopback S3s and a fake Datadog API run in a process of their own (bench/storage-host.ts); each run is a fresh " +
      "process (bench/storage-side.ts) whose RSS is sampled every 10 ms: RSS growth is its peak minus its RSS just before " +
      "the transfer. Download: presign's `download(url, path)` vs global `fetch` piped to a file with `pipeline`. Upload: " +
      `Datadog's \`uploadTestFile\` from a path in ${mib(c.partSize)} MiB parts, ${c.concurrency} at a time, vs the same protocol ` +
      "by hand: hash every part with node:crypto (each part's URL is signed with its Content-MD5, which the storage checks), " +
      `ask for the URLs, PUT the parts ${c.concurrency} at a time (each read into a Buffer), complete. Both sides of both ` +
      "workloads are checked: every byte arrived (the upload's multipart ETag matches the file's). MiB/s and RSS: median " +
      "(min–max); the ratio is presign's MiB/s over raw's, per round.",
    "",
    "| workload | presign MiB/s | raw MiB/s | ratio | target | presign RSS growth, MiB | RSS target | met | raw RSS growth, MiB |",
    "|---|---:|---:|---:|---:|---:|---:|---|---:|",
  ];
  for (const w of s.workloads) {
    // The exact figure that missed, since a median just under the bound rounds to it in the table.
    const misses = [
      w.ratioMet ? "" : `throughput ${w.ratio.median.toFixed(3)}× < ${w.target.minRatio}×`,
      w.rssMet ? "" : `memory +${w.presign.rssGrowthMiB.median.toFixed(1)} > ${w.target.maxRssMiB} MiB`,
    ].filter(Boolean);
    const met = misses.length === 0 ? "✅ met" : `❌ not met: ${misses.join(", ")}`;
    out.push(
      `| ${w.workload}: ${w.presignLabel} vs ${w.rawLabel} | ${range(w.presign.mibPerS)} | ${range(w.raw.mibPerS)} | ${ratio(w.ratio)} | ` +
        `≥ ${w.target.minRatio.toFixed(1)}× | ${range(w.presign.rssGrowthMiB, 1)} | ≤ ${w.target.maxRssMiB} (${w.target.rssNote}) | ${met} | ${range(w.raw.rssGrowthMiB, 1)} |`,
    );
  }
  out.push("", `Multipart uploads left open on the storage after every upload run: ${s.orphanUploads} ${mark(s.orphanUploads === 0)}.`);
  return out;
}

// ---- Chart ---------------------------------------------------------------------------------------

const COLORS: Record<string, string> = {
  fetch: "#9ca3af",
  "node-http": "#cbd5e1",
  presign: "#2563eb",
  "presign-fetch": "#93c5fd",
  official: "#f97316",
  baseline: "#cbd5e1",
};
const colorOf = (id: string) => COLORS[id] ?? "#2563eb";
const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const plain = (label: string) => label.replaceAll("`", "");

interface Bar {
  label: string;
  value: number;
  min?: number;
  max?: number;
  color: string;
  text: string;
}

/** Horizontal bars with optional min–max whiskers, scaled to the panel's largest value. */
function panel(x: number, y: number, width: number, labelWidth: number, title: string, bars: (Bar | string)[]) {
  const row = 15;
  const barArea = width - labelWidth - 100;
  const top = Math.max(...bars.flatMap((b) => (typeof b === "string" ? [] : [b.max ?? b.value, b.value])));
  const scale = (v: number) => (v / top) * barArea;
  const parts = [`<text x="${x}" y="${y + 11}" font-weight="600">${esc(title)}</text>`];
  let cy = y + 20;
  for (const bar of bars) {
    if (typeof bar === "string") {
      parts.push(`<text x="${x}" y="${cy + 11}" fill="#374151" font-style="italic">${esc(bar)}</text>`);
      cy += row;
      continue;
    }
    const bx = x + labelWidth;
    parts.push(`<text x="${bx - 6}" y="${cy + 10}" text-anchor="end">${esc(bar.label)}</text>`);
    parts.push(`<rect x="${bx}" y="${cy + 2}" width="${Math.max(1, scale(bar.value)).toFixed(1)}" height="${row - 5}" fill="${bar.color}"/>`);
    if (bar.min !== undefined && bar.max !== undefined) {
      const mid = cy + 2 + (row - 5) / 2;
      parts.push(
        `<line x1="${(bx + scale(bar.min)).toFixed(1)}" x2="${(bx + scale(bar.max)).toFixed(1)}" y1="${mid}" y2="${mid}" stroke="#111827" stroke-width="1"/>`,
      );
    }
    parts.push(`<text x="${(bx + scale(Math.max(bar.value, bar.max ?? 0)) + 4).toFixed(1)}" y="${cy + 10}" fill="#374151">${esc(bar.text)}</text>`);
    cy += row;
  }
  return { svg: parts.join(""), height: cy - y };
}

export function renderSvg(r: Results): string {
  const width = 760;
  const parts: string[] = [];
  let y = 8;
  const perCallBars: (Bar | string)[] = [];
  for (const p of r.perCall) {
    perCallBars.push(`${p.provider} · ${p.operation}`);
    for (const s of p.subjects) {
      perCallBars.push({
        label: plain(s.label),
        value: s.wallUs.median,
        min: s.wallUs.min,
        max: s.wallUs.max,
        color: colorOf(s.id),
        text: `${fixed(s.wallUs.median)} µs · ${s.vsFetch.median.toFixed(2)}×`,
      });
    }
  }
  const first = panel(8, y, width - 16, 290, "Per call, µs (median, whisker min–max over rounds; × raw fetch) — lower is better", perCallBars);
  parts.push(first.svg);
  y += first.height + 14;

  const short = (id: string) => ({ baseline: "node -e 0", "datadog-cjs": "datadog (require)", official: "official DD" })[id] ?? id;
  const startupColor = (id: string) => (id === "official" ? COLORS.official! : id === "baseline" ? COLORS.baseline! : COLORS.presign!);
  const col = (width - 16) / 3;
  const cold = panel(
    8,
    y,
    col - 8,
    105,
    "Cold import, process ms",
    r.startup.map((s) => ({
      label: short(s.id),
      value: s.wallMs.median,
      min: s.wallMs.min,
      max: s.wallMs.max,
      color: startupColor(s.id),
      text: fixed(s.wallMs.median),
    })),
  );
  const rss = panel(
    8 + col,
    y,
    col - 8,
    105,
    "RSS after import, MB",
    r.startup.map((s) => ({
      label: short(s.id),
      value: s.rssMB.median,
      min: s.rssMB.min,
      max: s.rssMB.max,
      color: startupColor(s.id),
      text: fixed(s.rssMB.median),
    })),
  );
  const bundles = r.bundle.filter((b) => b.platform === "node" && "gzipBytes" in b && b.gzipBytes);
  const size = panel(
    8 + 2 * col,
    y,
    col - 8,
    90,
    "Bundle (node), kB min+gz",
    bundles.map((b) => ({
      label: b.subject === "official" ? "official DD" : b.subject,
      value: b.gzipBytes! / 1024,
      color: b.subject === "official" ? COLORS.official! : COLORS.presign!,
      text: (b.gzipBytes! / 1024).toFixed(1),
    })),
  );
  parts.push(cold.svg, rss.svg, size.svg);
  y += Math.max(cold.height, rss.height, size.height) + 6;
  parts.push(
    `<text x="8" y="${y + 10}" fill="#6b7280">${esc(`Node ${r.machine.node} · ${r.machine.cpu} × ${r.machine.cores} · ${r.startedAt.slice(0, 10)} · pnpm bench`)}</text>`,
  );
  const height = Math.ceil(y + 18);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="11" fill="#111827">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${parts.join("")}</svg>\n`
  );
}

/** Renders the SVG with a local chromium through playwright-core; without one, removes any stale PNG and says why. */
export async function svgToPng(svg: string, path: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    rmSync(path, { force: true });
    return { ok: false, reason: `no chromium at ${executablePath} (set CHROMIUM_PATH); the SVG stands alone` };
  }
  const [width, height] = [Number(svg.match(/width="(\d+)"/)![1]), Number(svg.match(/height="(\d+)"/)![1])];
  let browser: Browser | undefined;
  try {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath,
      args: CHROMIUM_ARGS,
    });
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    await page.screenshot({ path, clip: { x: 0, y: 0, width, height } });
    return { ok: true };
  } catch (error) {
    rmSync(path, { force: true });
    return { ok: false, reason: String(error).split("\n")[0]! };
  } finally {
    await browser?.close();
  }
}

/** The machine and build, in one line. */
function machineLine(r: Results) {
  const m = r.machine;
  return (
    `Node ${m.node} on ${m.os}, ${m.cpu} × ${m.cores} cores, ${m.memoryGB} GB RAM; load average ${m.loadAverage[0]} at the start, ` +
    `${m.loadAverageAtEnd[0]} at the end. Build ${r.build.commit}${r.build.dirty ? " with uncommitted changes to packages/, scripts/ or specs/" : ""} (dist ${r.build.distHash})`
  );
}

/** The headline figures for the root README: Datadog against its official client, the other providers as ratios. */
export function renderSummary(r: Results, chart?: string): string {
  const dd = r.perCall.find((p) => p.provider === "datadog")!;
  const subject = (id: string) => dd.subjects.find((s) => s.id === id)!;
  const startup = (id: string) => r.startup.find((s) => s.id === id)!;
  const gz = (subject: string) => {
    const b = r.bundle.find((x) => x.subject === subject && x.platform === "node");
    return b && "gzipBytes" in b && b.gzipBytes ? kB(b.gzipBytes) : "—";
  };
  const [presign, official, rawFetch, rawHttp] = ["presign", "official", "fetch", "node-http"].map(subject);
  const others = r.perCall
    .filter((p) => p.provider !== "datadog")
    .map((p) => {
      const s = p.subjects.find((x) => x.id === "presign")!;
      return `${p.provider} ${fixed(s.wallUs.median)} µs (${s.vsFetch.median.toFixed(2)}×)`;
    });
  const t = r.turbo;
  const out = [
    `On ${r.startedAt.slice(0, 10)}: ${machineLine(r)}. Medians of one run; ratios are per round against raw \`fetch\`.`,
    "",
    "| | `@presign/datadog` | `@datadog/datadog-api-client` | for reference |",
    "|---|---:|---:|---|",
    `| per call, µs (loopback, keep-alive) | ${fixed(presign!.wallUs.median)} (${presign!.vsFetch.median.toFixed(2)}× fetch) | ${fixed(official!.wallUs.median)} (${official!.vsFetch.median.toFixed(2)}× fetch) | raw \`fetch\` ${fixed(rawFetch!.wallUs.median)}, raw \`node:http\` ${fixed(rawHttp!.wallUs.median)} |`,
    `| cold import, process ms | ${fixed(startup("datadog").wallMs.median)} | ${fixed(startup("official").wallMs.median)} | \`node -e 0\` ${fixed(startup("baseline").wallMs.median)} |`,
    `| RSS after import, MB | ${fixed(startup("datadog").rssMB.median, 1)} | ${fixed(startup("official").rssMB.median, 1)} | \`node -e 0\` ${fixed(startup("baseline").rssMB.median, 1)} |`,
    `| one-call app bundle, min + gzip | ${gz("datadog")} | ${gz("official")} | esbuild, platform node |`,
    "",
    `Per call, the other providers: ${others.join(", ")}. Codegen for all ${r.codegen.specs} specs: ${fixed(r.codegen.warmPassMs.median)} ms warm, ` +
      `${fixed(r.codegen.cliMs.median)} ms as a command. \`turbo run build\` with nothing changed: ` +
      (t.wallMs
        ? `${fixed(t.wallMs.median)} ms (${t.repeats.every((x) => x.fullTurbo) ? "FULL TURBO" : "not all cached"}).`
        : "not measured (turbo did not run)."),
  ];
  if (chart) out.push("", `![per-call time, cold import, memory and bundle size](${chart})`);
  return `${out.join("\n")}\n`;
}

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

/** Puts the latest tables between the bench markers of bench/README.md, and the summary into the root README.md. */
export function updateReadme(r: Results, png: boolean): string[] {
  const updated: string[] = [];
  const chart = png ? "chart.png" : "chart.svg";
  for (const [file, text] of [
    ["bench/README.md", renderMarkdown(r, `results/${chart}`)],
    ["README.md", renderSummary(r, `bench/results/${chart}`)],
  ] as const) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    const current = readFileSync(path, "utf8");
    const start = current.indexOf(START);
    const end = current.indexOf(END);
    if (start < 0 || end < start) continue;
    writeFileSync(path, `${current.slice(0, start + START.length)}\n${text}${current.slice(end)}`);
    updated.push(file);
  }
  return updated;
}
