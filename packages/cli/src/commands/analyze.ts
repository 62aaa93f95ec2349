// `grok analyze DIR`: progress measures over the saved checkpoints and the final Fourier analysis (analysis.json).
export async function analyzeCommand(dir: string): Promise<void> {
  throw new Error(`grok analyze is not available yet (run directory ${dir})`);
}
