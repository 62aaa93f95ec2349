// The report page's own script and style, inlined by render.ts. Line and bar charts use uPlot; heatmaps and
// scatter plots are drawn on a canvas (uPlot has neither).

/** Page style. */
export const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { margin: 0 0 8px; font-size: 22px; } h2 { font-size: 17px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.summary { margin: 0 0 16px; padding-left: 20px; }
.grid { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; width: 520px; } figcaption { font-size: 13px; margin-bottom: 4px; } figcaption span { color: #555; }
.plot { min-height: 60px; } canvas.heat, canvas.scatter { border: 1px solid #ccc; }
.axis { font-size: 12px; color: #555; }
table { border-collapse: collapse; font-size: 13px; } th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: right; }
`;

/** Renders every figure in #report-data; marks each element data-rendered="true" when drawn. */
export const CLIENT_SCRIPT = String.raw`
(function () {
  var figures = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

  function markersPlugin(markers) {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx; ctx.save(); ctx.strokeStyle = '#888'; ctx.setLineDash([4, 4]); ctx.fillStyle = '#444';
      ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
      (markers || []).forEach(function (m) {
        var x = u.valToPos(m.x, 'x', true);
        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
        ctx.fillText(m.label, x + 3, u.bbox.top + 12 * devicePixelRatio);
      });
      ctx.restore();
    }] } };
  }

  function line(el, f) {
    var data = [f.x].concat(f.series.map(function (s) { return s.values; }));
    var opts = { width: 520, height: 300, plugins: [markersPlugin(f.markers)],
      scales: { x: { time: false }, y: f.logY ? { distr: 3 } : {} },
      axes: [{ label: f.xLabel }, f.logY ? { label: f.yLabel, size: 60, values: function (u, ticks) {
        return ticks.map(function (v) { return v == null ? '' : v >= 0.01 && v < 1000 ? String(+v.toPrecision(2)) : v.toExponential(0); });
      } } : { label: f.yLabel }],
      series: [{ label: f.xLabel }].concat(f.series.map(function (s, i) {
        return { label: s.label, stroke: palette[i % palette.length], width: 1.5, spanGaps: true };
      })) };
    new uPlot(opts, data, el);
  }

  function bars(el, f) {
    var xs = f.values.map(function (_, i) { return i; });
    var opts = { width: 520, height: 300,
      scales: { x: { time: false }, y: { range: function (u, lo, hi) { return [0, hi > 0 ? hi * 1.05 : 1]; } } },
      axes: [{ values: function (u, ticks) { return ticks.map(function (t) { return f.labels[t] || ''; }); } }, { label: f.yLabel }],
      series: [{ label: 'component', value: function (u, v) { return v == null ? '' : f.labels[v]; } },
        { label: f.yLabel, fill: '#1f77b4aa', stroke: '#1f77b4', paths: uPlot.paths.bars({ size: [0.8, 12] }), points: { show: false } }] };
    new uPlot(opts, [xs, f.values], el);
  }

  function color(t) { // t in [0, 1] -> a perceptually ordered blue-yellow ramp
    var r = Math.round(255 * Math.min(1, Math.max(0, 1.6 * t - 0.4)));
    var g = Math.round(255 * Math.min(1, Math.max(0, 1.2 * t)));
    var b = Math.round(255 * Math.min(1, Math.max(0, 0.9 - 0.9 * t + 0.3 * Math.sin(3.14 * t))));
    return 'rgb(' + r + ',' + g + ',' + b + ')';
  }

  function heatmap(el, f) {
    var size = 400, canvas = document.createElement('canvas');
    canvas.width = size; canvas.height = size; canvas.className = 'heat';
    var ctx = canvas.getContext('2d'), lo = Infinity, hi = -Infinity, values = f.values;
    if (f.logScale) {
      var top = Math.max.apply(null, values.map(Math.abs)) || 1;
      values = values.map(function (v) { return Math.log10(Math.max(Math.abs(v), top * 1e-6)); });
    }
    values.forEach(function (v) { if (v < lo) lo = v; if (v > hi) hi = v; });
    var span = hi - lo || 1, cw = size / f.cols, ch = size / f.rows;
    for (var r = 0; r < f.rows; r++) for (var c = 0; c < f.cols; c++) {
      ctx.fillStyle = color((values[r * f.cols + c] - lo) / span);
      ctx.fillRect(c * cw, r * ch, Math.ceil(cw), Math.ceil(ch));
    }
    el.appendChild(canvas);
    var axis = document.createElement('div'); axis.className = 'axis';
    var range = f.logScale ? 'log10 range ' + lo.toFixed(1) + ' to ' + hi.toFixed(1) : 'range ' + lo.toPrecision(3) + ' to ' + hi.toPrecision(3);
    var cols = f.colLabels ? ' (columns ' + f.colLabels[0] + ' to ' + f.colLabels[f.colLabels.length - 1] + ')' : '';
    axis.textContent = 'x: ' + f.xLabel + cols + ', y: ' + f.yLabel + ' (' + range + ')';
    el.appendChild(axis);
  }

  function scatter(el, f) {
    var size = 400, pad = 20, canvas = document.createElement('canvas');
    canvas.width = size; canvas.height = size; canvas.className = 'scatter';
    var ctx = canvas.getContext('2d');
    var xl = Math.min.apply(null, f.x), xh = Math.max.apply(null, f.x), yl = Math.min.apply(null, f.y), yh = Math.max.apply(null, f.y);
    ctx.font = '10px sans-serif';
    f.x.forEach(function (x, i) {
      var px = pad + (size - 2 * pad) * (x - xl) / ((xh - xl) || 1), py = size - pad - (size - 2 * pad) * (f.y[i] - yl) / ((yh - yl) || 1);
      ctx.fillStyle = palette[0]; ctx.beginPath(); ctx.arc(px, py, 3, 0, 6.283); ctx.fill();
      if (f.labels) { ctx.fillStyle = '#333'; ctx.fillText(f.labels[i], px + 4, py - 4); }
    });
    el.appendChild(canvas);
    var axis = document.createElement('div'); axis.className = 'axis'; axis.textContent = 'x: ' + f.xLabel + ', y: ' + f.yLabel;
    el.appendChild(axis);
  }

  function table(el, f) {
    var t = document.createElement('table'), head = document.createElement('tr');
    f.columns.forEach(function (c) { var th = document.createElement('th'); th.textContent = c; head.appendChild(th); });
    t.appendChild(head);
    f.rows.forEach(function (row) {
      var tr = document.createElement('tr');
      row.forEach(function (v) { var td = document.createElement('td'); td.textContent = v == null ? '–' : String(v); tr.appendChild(td); });
      t.appendChild(tr);
    });
    el.appendChild(t);
  }

  var draw = { line: line, bars: bars, heatmap: heatmap, scatter: scatter, table: table };
  figures.forEach(function (f) {
    var el = document.getElementById('fig-' + f.id);
    draw[f.kind](el, f);
    el.setAttribute('data-rendered', 'true');
  });
  document.body.setAttribute('data-rendered', 'true');
})();
`;
