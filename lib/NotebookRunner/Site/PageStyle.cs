namespace NotebookRunner.Site;

/// <summary>
/// The stylesheet of the course site (the pages and index.html): a readable column, code on grey,
/// outputs under a rule, the formatter's tables styled the way the notebook kernel shows them, and
/// a print layout.
/// </summary>
internal static class PageStyle
{
    /// <summary>The CSS, inlined into each page so it stays a single file.</summary>
    public const string Css = """

        body { margin: 0; background: #fafafa; color: #1f2328; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { max-width: 980px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; min-height: 100vh; box-shadow: 0 0 12px rgba(0,0,0,.06); }
        h1, h2, h3 { line-height: 1.25; margin: 1.4em 0 .5em; }
        h1 { font-size: 2em; border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }
        a { color: #0969da; }
        code, pre { font: 13.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
        :not(pre) > code { background: #eff1f3; padding: .1em .35em; border-radius: 4px; }
        section.code { margin: 16px 0 20px; }
        .prompt { color: #8c959f; font: 12px ui-monospace, monospace; margin-bottom: 2px; }
        pre.source { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px; overflow-x: auto; margin: 0; }
        .output { margin: 6px 0 0; padding: 4px 0 4px 14px; border-left: 3px solid #d0d7de; overflow-x: auto; }
        pre.output { white-space: pre-wrap; }
        pre.stderr { background: #fff5f5; border-left-color: #f0b4b4; }
        pre.error { background: #ffebe9; border-left-color: #cf222e; color: #82071e; padding: 8px 14px; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
        th, td { border: 1px solid #d0d7de; padding: 3px 10px; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        .output table td pre, .output .dni-plaintext pre { margin: 0; }
        .run-failed { background: #ffebe9; border: 1px solid #cf222e; border-radius: 6px; padding: 8px 14px; color: #82071e; }
        blockquote { margin: 0; padding: 0 1em; color: #59636e; border-left: 4px solid #d0d7de; }

        /* The kernel's formatter (Microsoft.DotNet.Interactive.Formatting) writes objects as
           <details class="dni-treeview"> and lists as tables of .dni-plaintext cells; these are the
           rules VS Code's notebook view gives them, plus its striped rows. */
        .dni-code-hint { font-style: italic; overflow: hidden; white-space: nowrap; }
        .dni-treeview { white-space: nowrap; }
        .dni-treeview td { vertical-align: top; text-align: start; }
        details.dni-treeview { padding-left: 1em; }
        details.dni-treeview > summary { cursor: pointer; }
        .dni-plaintext pre { white-space: pre-wrap; margin: 0; font-size: 13px; }
        .output table thead tr:empty { display: none; }
        .output table tbody tr:nth-child(even) { background: #f6f8fa; }
        .output table th { text-align: start; }
        /* Unlike VS Code's wide output area, a page column is narrow: let a long object summary wrap
           (more specific than the formatter's own nowrap rules, which follow each output). */
        .output details.dni-treeview, .output details.dni-treeview > summary .dni-code-hint { white-space: normal; }

        /* Course navigation and contents page. */
        nav.course-nav { display: grid; grid-template-columns: 1fr auto 1fr; gap: 16px; padding: 10px 0; font-size: 15px; }
        nav.course-nav.top { border-bottom: 1px solid #d0d7de; margin-bottom: 8px; }
        nav.course-nav.bottom { border-top: 1px solid #d0d7de; margin-top: 32px; }
        nav.course-nav .next { text-align: right; }
        nav.course-nav .contents { font-weight: 600; }
        ol.toc { list-style: none; padding-left: 0; }
        ol.toc > li { margin: 0 0 24px; }
        ol.toc h2 { font-size: 1.3em; margin: .2em 0; }
        .run-status { color: #59636e; font-size: 14px; margin: 0 0 6px; }
        .run-status .failed { color: #cf222e; }
        ul.goals { margin: 4px 0; }

        /* Print: the text and the charts, without screen chrome; no cell or chart cut in two. */
        @page { margin: 15mm; }
        @media print {
          body { background: #fff; font-size: 11pt; }
          main { max-width: none; box-shadow: none; padding: 0; min-height: 0; }
          nav.course-nav { display: none; }
          pre.source, pre.output, .dni-plaintext pre { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; }
          pre.source { background: #f6f8fa !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          section.code, .output, table, ol.toc > li { break-inside: avoid; }
          h1, h2, h3 { break-after: avoid; }
          .output { overflow: visible; }
          .modebar-container { display: none !important; }
          a { color: inherit; }
        }

        """;
}
