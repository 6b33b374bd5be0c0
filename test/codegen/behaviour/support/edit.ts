/** Path-based edits of a state tree, for spoilers. A path that does not exist is a bug in the test: it throws. */
type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

function parentOf(root: Container, path: readonly (string | number)[]): [Container, string | number] {
  if (path.length === 0) throw new Error('edit: empty path');
  let node: unknown = root;
  for (const step of path.slice(0, -1)) {
    if (!isContainer(node)) throw new Error(`edit: no container at ${path.join('.')}`);
    node = (node as Record<string | number, unknown>)[step];
  }
  if (!isContainer(node)) throw new Error(`edit: no container at ${path.join('.')}`);
  return [node, path[path.length - 1]!];
}

/** Sets a key or an index; `__proto__` is set as an own key, as JSON.parse would create it. */
export function put(root: Container, path: readonly (string | number)[], value: unknown): void {
  const [parent, last] = parentOf(root, path);
  Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
}

export function remove(root: Container, path: readonly (string | number)[]): void {
  const [parent, last] = parentOf(root, path);
  if (!Object.prototype.hasOwnProperty.call(parent, last)) throw new Error(`edit: nothing at ${path.join('.')}`);
  delete (parent as Record<string | number, unknown>)[last];
}

/** Renames a key, keeping its value. */
export function rename(root: Container, path: readonly (string | number)[], to: string): void {
  const [parent, last] = parentOf(root, path);
  const value = (parent as Record<string | number, unknown>)[last];
  remove(root, path);
  put(parent, [to], value);
}
