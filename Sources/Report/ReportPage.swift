/// The page around the sections: inline style, a Content-Security-Policy
/// that allows nothing from anywhere but the page itself, one small script
/// (the grid slider), and a layout that reads at a phone's width and a desktop's.
enum ReportPage {
    static func wrap(title: String, generator: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: file: 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <meta name="generator" content="\(HTML.escape(generator))">
        <title>\(HTML.escape(title))</title>
        <style>
        body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1000px; padding: 12px; color: #222; }
        h1 { font-size: 1.5em; word-break: break-all; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.6em; }
        table { border-collapse: collapse; margin: 0.5em 0; display: block; overflow-x: auto; }
        th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; word-break: break-word; }
        th, td:first-child { word-break: normal; } th { background: #f4f4f4; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
        img { max-width: 100%; height: auto; image-rendering: pixelated; }
        svg.chart { width: 100%; height: auto; max-width: 720px; display: block; margin: 0.5em 0; }
        svg .grid { stroke: #e4e4e4; } svg .tick, svg .legend { font-size: 11px; fill: #555; } svg .title { font-size: 14px; font-weight: 600; }
        .missing { color: #8a4b00; } #missing { background: #fff6e5; padding: 4px 12px; border: 1px solid #f0c36d; }
        figure { margin: 0.5em 0; } figcaption { color: #555; }
        .grids { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
        .stepper { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; } .stepper input { flex: 1; min-width: 160px; }
        </style>
        </head>
        <body>
        <h1>\(HTML.escape(title))</h1>
        \(body)
        <p class="footer">Written by \(HTML.escape(generator)); everything is in this file.</p>
        <script>
        (function () {
          var range = document.getElementById("grid-range"), big = document.getElementById("grid-current"), label = document.getElementById("grid-label");
          if (!range || !big) return;
          var all = document.querySelectorAll("#grid-list img");
          document.getElementById("grid-stepper").hidden = false;
          range.addEventListener("input", function () {
            var img = all[range.value];
            if (!img) return;
            big.src = img.getAttribute("data-full") || img.src;
            label.textContent = img.alt;
          });
        })();
        </script>
        </body>
        </html>

        """
    }
}
