// Minimal line plots on a 2-D canvas: the project's own plotting (no plotting package exists
// that fits), enough for curves such as σ and a cost history.

export interface Curve {
  label: string;
  values: ArrayLike<number>;
  color: string;
}

/** Draws `curves` over the shared x values, with axes, zero lines and a legend. */
export function drawCurves(canvas: HTMLCanvasElement, xs: ArrayLike<number>, curves: Curve[]): void {
  const g = canvas.getContext('2d')!;
  const pad = 36;
  const [w, h] = [canvas.width - 2 * pad, canvas.height - 2 * pad];
  const all = curves.flatMap((c) => Array.from(c.values));
  const [x0, x1] = [xs[0]!, xs[xs.length - 1]!];
  const [y0, y1] = [Math.min(0, ...all), Math.max(...all)];
  const px = (x: number) => pad + ((x - x0) / (x1 - x0)) * w;
  const py = (y: number) => pad + h - ((y - y0) / (y1 - y0 || 1)) * h;

  g.clearRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = '#999';
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(pad, py(0));
  g.lineTo(pad + w, py(0));
  if (x0 < 0 && x1 > 0) {
    g.moveTo(px(0), pad);
    g.lineTo(px(0), pad + h);
  }
  g.stroke();
  g.fillStyle = '#555';
  g.font = '12px system-ui, sans-serif';
  g.fillText(String(x0), pad - 6, pad + h + 16);
  g.fillText(String(x1), pad + w - 6, pad + h + 16);
  g.fillText(y1.toFixed(2), 2, py(y1) + 4);

  curves.forEach((c, i) => {
    g.strokeStyle = c.color;
    g.lineWidth = 2;
    g.beginPath();
    for (let j = 0; j < xs.length; j++) {
      const [x, y] = [px(xs[j]!), py(c.values[j]!)];
      if (j === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    }
    g.stroke();
    g.fillStyle = c.color;
    g.fillText(c.label, pad + 10, pad + 14 + 16 * i);
  });
}
