/**
 * Timings the benchmark will take once the packages they need exist. Each is listed in the results as pending, with
 * no number, until its TODO is done. Nothing is pending now.
 *
 * @example
 * PENDING.map((p) => p.name); // []
 */
export const PENDING: readonly { name: string; needs: string; todo: string }[] = [];
