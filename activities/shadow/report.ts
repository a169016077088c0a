// Redraws a version's report with its live record: the shadow chart into report/ (svg + png,
// like the training charts) and report.html with the shadow section (write-report.ts).
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readShadowSeries } from '../../models/registry/shadow';
import { svgToPng } from '../training/report/png';
import { shadowChart } from '../training/report/shadow-chart';
import { REPORT_DIR, SHADOW_SVG, writeReport } from '../training/report/write-report';

export async function redrawShadowReport(root: string, version: string): Promise<void> {
  const versionDir = path.join(root, version);
  const dir = path.join(versionDir, REPORT_DIR);
  if (!existsSync(path.join(versionDir, 'metrics.json')) || !existsSync(dir)) return;
  const days = await readShadowSeries(root, version);
  if (days.length === 0) return;
  const svg = shadowChart(days, `Live skill of ${version} on the desk's closed trades (pooled window per day)`);
  await writeFile(path.join(dir, SHADOW_SVG), svg);
  await writeFile(path.join(dir, 'shadow.png'), svgToPng(svg));
  await writeReport(versionDir);
}
