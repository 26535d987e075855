// Post-login destinations: only a relative path on our own host, so RelayState, `returnTo` and friends can never send a
// signed-in user (or their code) elsewhere.

/** Returns `path` if it is a safe same-origin relative path, else undefined. */
export function safeRelativePath(path: string | undefined): string | undefined {
  if (path === undefined || path.length === 0 || path.length > 1024) return undefined;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return undefined;
  // Control characters, backslashes and encoded slashes at the start are how browsers get talked into other hosts.
  if (/[\u0000-\u001f\u007f\\]/.test(path) || /^\/(%2f|%5c)/i.test(path)) return undefined;
  try {
    const resolved = new URL(path, 'https://our.host');
    if (resolved.host !== 'our.host') return undefined;
  } catch {
    return undefined;
  }
  return path;
}
