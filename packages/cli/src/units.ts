/** Byte counts and rates as people read them: binary units with one decimal ("4.0 MiB", "8.1 MiB/s"). */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** `4194304` → `4.0 MiB`; under 1 KiB in whole bytes (`512 B`). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** Bytes per second: `8.1 MiB/s`. */
export const formatRate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;
