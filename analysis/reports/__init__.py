"""Stage 4, reports: the declared report set, notebook helpers, the one place data becomes
HTML (`presentation`), figures, and rendering with papermill and nbconvert.

Rendering, by job: `reportset` (the set file and its checks), `inputs` (what a rendered report
was made from), `kernels`, `execute` (workers that run one notebook each), `html` (notebook to
page; the stylesheet and script are `static/`), `outfolder` (the output folder: manifest, lock,
staging, publishing) and `render` (`render_reports`, the steps in order)."""
