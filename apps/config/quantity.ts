/** Parsing of the Kubernetes quantities the config uses (validated by the schema's patterns). */

/** "250m" -> 250, "1.5" -> 1500 */
export function cpuMillis(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

const MEMORY_UNITS: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024 };

/** "512Mi" -> 512, "2Gi" -> 2048 */
export function memoryMiB(quantity: string): number {
  const unit = quantity.slice(-2);
  const factor = MEMORY_UNITS[unit];
  if (factor === undefined) throw new Error(`unsupported memory quantity "${quantity}"`);
  return Number(quantity.slice(0, -2)) * factor;
}
