// `grok report DIR`: the self-contained HTML report of a run (report.html).
export async function reportCommand(dir: string): Promise<string> {
  throw new Error(`grok report is not available yet (run directory ${dir})`);
}
