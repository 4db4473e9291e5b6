/**
 * Masking of secret values in build output (spec/buildspec.md §7): every occurrence of a
 * secret's exact text becomes `***`, in command output and in the agent's own lines (including
 * the echoed `Running command ...`). Derived values (base64, reversed, parts) are not masked,
 * as on AWS. Multi-line secrets are also masked line by line, since logs are split into lines.
 * Values shorter than MIN_MASKED_LENGTH are not masked: hiding every "1" would hide the log.
 */

export const MASK = "***";
export const MIN_MASKED_LENGTH = 3;

export type Masker = (text: string) => string;

export function createMasker(secrets: readonly string[]): Masker {
  const needles = new Set<string>();
  for (const secret of secrets) {
    for (const part of [secret, ...secret.split(/\r?\n/)]) {
      const trimmed = part === secret ? part : part.trim();
      if (trimmed.length >= MIN_MASKED_LENGTH) needles.add(trimmed);
    }
  }
  if (needles.size === 0) return (text) => text;
  // Longest first, so a secret containing another is replaced whole.
  const alternatives = [...needles].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(alternatives.join("|"), "g");
  return (text) => text.replace(pattern, MASK);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
