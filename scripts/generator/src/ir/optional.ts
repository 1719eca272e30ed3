/** `{ [key]: value }` when value is defined, else `{}`: keeps absent facts out of the model. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
