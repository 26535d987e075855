// The console's only script and stylesheet, served from our own origin so the CSP can forbid inline code.

/** Copy buttons (`data-copy="<element id>"`) and confirmation prompts on forms (`data-confirm="<question>"`). */
export const CONSOLE_JS = `'use strict';
document.addEventListener('click', function (event) {
  var button = event.target.closest('[data-copy]');
  if (!button) return;
  var source = document.getElementById(button.getAttribute('data-copy'));
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(function () {
    var label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(function () { button.textContent = label; }, 1500);
  });
});
document.addEventListener('submit', function (event) {
  var question = event.target.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});
`;

export const CONSOLE_CSS = `*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f5f6f8}
header{display:flex;align-items:center;gap:24px;padding:12px 24px;background:#1d2330;color:#fff}
header .brand{font-weight:600}
header nav a{color:#c9d1e0;text-decoration:none;margin-right:16px}
header nav a[aria-current=page]{color:#fff;border-bottom:2px solid #6ea8fe}
header .who{margin-left:auto;color:#c9d1e0;font-size:13px}
main{max-width:1100px;margin:24px auto;padding:0 24px}
h1{font-size:22px;margin:0 0 16px}
h2{font-size:17px;margin:28px 0 10px}
section.card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:16px 20px;margin-bottom:20px}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #e6e9ef;vertical-align:top;font-size:14px}
th{font-weight:600;color:#525c6e;background:#fafbfc}
form.inline{display:inline}
label{display:block;font-weight:600;margin:8px 0 4px}
input[type=text],input[type=email],input[type=datetime-local],select,textarea{font:inherit;padding:6px 8px;border:1px solid #c3c9d4;border-radius:6px;min-width:220px}
textarea{width:100%;min-height:140px;font-family:ui-monospace,Menlo,Consolas,monospace}
button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid #2f6fd6;background:#2f6fd6;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#2f6fd6}
button.danger{background:#fff;color:#c0352b;border-color:#c0352b}
.row{display:flex;gap:16px;align-items:flex-end;flex-wrap:wrap}
.notice,.error,.warning{padding:10px 14px;border-radius:6px;margin-bottom:16px}
.notice{background:#e7f4ea;border:1px solid #9fd0aa}
.error{background:#fdecea;border:1px solid #f1a9a0}
.warning{background:#fff6e0;border:1px solid #f0cf7a}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#e6e9ef}
.badge.ok{background:#e7f4ea}.badge.off{background:#fdecea}.badge.warn{background:#fff0c2}
code,.secret{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;background:#f0f2f5;padding:2px 6px;border-radius:4px;word-break:break-all}
.muted{color:#6b7385;font-size:13px}
td code{word-break:normal;white-space:nowrap}
td.nowrap{white-space:nowrap}
td.details{overflow-wrap:anywhere;min-width:160px}
td a{color:inherit}
dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px}
dl.fields dt{font-weight:600}
`;
