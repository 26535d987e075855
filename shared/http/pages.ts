// Minimal server-rendered pages. Every dynamic value goes through escapeHtml.

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function page(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title></head>
<body><main>${bodyHtml}</main></body></html>`;
}

export function errorPage(status: number, detail: string): string {
  const title = status >= 500 ? 'Something went wrong' : 'We could not sign you in';
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>`);
}
