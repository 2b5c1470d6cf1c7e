/** The total is the dark dashed line; versions take these in order (distinct in colour-blind palettes too). */
export const TOTAL_COLOR = '#1b2430';
const VERSION_COLORS = ['#2f6fed', '#e8710a', '#1a9e52', '#9334e6', '#d6336c', '#0b8a8a', '#8a6d0b'];

export function seriesColor(index: number, total: boolean): string {
  if (total) return TOTAL_COLOR;
  return VERSION_COLORS[(index - 1) % VERSION_COLORS.length] ?? TOTAL_COLOR;
}
