// The report page is one HTML file built from strings that come from runs (titles, task names, captions, figure
// data): hostile strings must stay text and data, never markup or script.
import { renderReport } from './render';
import type { Report } from './figures';

const HOSTILE = `</script><script>alert("x")</script><img src=x onerror=alert(1)> & ' " \u2028\u2029`;

function hostileReport(): Report {
  return {
    title: HOSTILE,
    summary: [HOSTILE],
    sections: [{ title: HOSTILE, figures: [
      { kind: 'bars', id: 'b"><script>', title: HOSTILE, caption: HOSTILE, labels: [HOSTILE], values: [1], yLabel: HOSTILE },
      { kind: 'table', id: 't', title: 'table', columns: [HOSTILE], rows: [[HOSTILE, 1, null]] },
    ] }],
  };
}

describe('renderReport', () => {
  const html = renderReport(hostileReport());

  it('escapes every string it writes as markup', () => {
    // Outside the inlined scripts there is no markup from the strings: only our own tags.
    const body = html.slice(html.indexOf('<body>'), html.indexOf('<script>'));
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39; &quot;');
    expect(body).toContain('id="fig-b&quot;&gt;&lt;script&gt;"');
  });

  it('keeps figure data inside its JSON script block, exactly', () => {
    const start = html.indexOf('<script id="report-data" type="application/json">') + '<script id="report-data" type="application/json">'.length;
    const end = html.indexOf('</script>', start);
    const json = html.slice(start, end);
    // The block ends at our own closing tag only: the data holds no '<', and no raw line or paragraph separator.
    expect(json).not.toMatch(/[<\u2028\u2029]/);
    const figures = JSON.parse(json);
    expect(figures[0].title).toBe(HOSTILE);
    expect(figures[1].rows[0][0]).toBe(HOSTILE);
    // Every <script> the page opens is one of ours: uPlot, the data, the client.
    expect(html.match(/<script/g)).toHaveLength(3);
  });
});
