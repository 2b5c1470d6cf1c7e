import type { Core } from 'cytoscape';
import { EDGE_FONT, MIN_ZOOMED_FONT_PX } from './graph-style';

/** Lock size in model units: it grows and shrinks with the edge labels it sits under. */
const LOCK_SIZE = 10;
const LOCK_COLOUR = '#1a7f37';

/**
 * Draws a padlock on every edge whose traffic is all mTLS, on a canvas laid over cytoscape's.
 * Cytoscape labels are plain text and the fonts on a server may have no lock glyph (Kiali
 * loads an icon font for it), so the lock is drawn as a shape. It appears and disappears with
 * the edge labels (same zoom threshold) so a zoomed-out big graph stays cheap.
 */
export function attachLockOverlay(
  cy: Core,
  canvas: HTMLCanvasElement,
): { drawn(): Set<string>; detach(): void } {
  let frame = 0;
  let drawn = new Set<string>();

  const draw = () => {
    frame = 0;
    const container = cy.container();
    if (!container) return;
    const dpr = window.devicePixelRatio || 1;
    const w = container.clientWidth;
    const h = container.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const next = new Set<string>();
    const zoom = cy.zoom();
    if (zoom * EDGE_FONT >= MIN_ZOOMED_FONT_PX) {
      const size = LOCK_SIZE * zoom;
      cy.edges('[mtls = "mtls"]').forEach((edge) => {
        if (!edge.visible()) return;
        const p = edge.renderedMidpoint();
        if (p.x < -size || p.y < -size || p.x > w + size || p.y > h + size) return;
        drawLock(ctx, p.x, p.y, size);
        next.add(edge.id());
      });
    }
    drawn = next;
  };
  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(draw);
  };
  cy.on('render', schedule);
  schedule();
  return {
    drawn: () => drawn,
    detach: () => {
      cy.off('render', schedule);
      if (frame !== 0) cancelAnimationFrame(frame);
    },
  };
}

function drawLock(ctx: CanvasRenderingContext2D, x: number, y: number, size: number): void {
  const bodyW = size;
  const bodyH = size * 0.75;
  const top = y - bodyH / 2 + size * 0.15;
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  ctx.arc(x, y, size * 0.85, 0, Math.PI * 2);
  ctx.fill();
  // Shackle
  ctx.strokeStyle = LOCK_COLOUR;
  ctx.lineWidth = Math.max(1, size * 0.16);
  ctx.beginPath();
  ctx.arc(x, top, size * 0.28, Math.PI, 0);
  ctx.stroke();
  // Body
  ctx.fillStyle = LOCK_COLOUR;
  ctx.beginPath();
  ctx.roundRect(x - bodyW / 2, top, bodyW, bodyH, size * 0.12);
  ctx.fill();
}
