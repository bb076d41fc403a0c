// Screen readers hear what changes without moving the focus only from live regions: every
// error box in the UI is an alert, every notice and save status a status (or aria-live). This
// reads the components' markup, so the next view that forgets it fails here.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob("./**/*.svelte", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** The opening tags of elements in `text`, whole: a `>` inside `{…}` or quotes does not end one. */
function openingTags(text: string): string[] {
  const tags: string[] = [];
  for (const m of text.matchAll(/<(div|p|span|section)\b/g)) {
    let depth = 0;
    let quote = "";
    for (let i = m.index + m[0].length; i < text.length; i++) {
      const c = text[i];
      if (quote) {
        if (c === quote) quote = "";
      } else if (c === '"' || c === "'" || c === "`") quote = c;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
      else if (c === ">" && depth === 0) {
        tags.push(text.slice(m.index, i + 1));
        break;
      }
    }
  }
  return tags;
}

/** The opening tags in `text` whose class list has `name`. */
function tagsWithClass(text: string, name: string): string[] {
  return openingTags(text).filter((tag) => {
    const m = tag.match(/\bclass="([^"]*)"/);
    return m !== null && m[1].split(/\s+/).includes(name);
  });
}

describe("live regions", () => {
  it("finds the components", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20);
  });

  it("makes every error box an alert", () => {
    const missing = Object.entries(sources).flatMap(([file, text]) =>
      tagsWithClass(text, "error").filter((tag) => !/role="alert"/.test(tag)).map((tag) => `${file}: ${tag}`),
    );
    expect(missing).toEqual([]);
  });

  it("makes every notice and status line a status", () => {
    const missing = Object.entries(sources).flatMap(([file, text]) =>
      ["notice", "status-line"].flatMap((name) =>
        tagsWithClass(text, name).filter((tag) => !/role="(status|alert)"|aria-live=/.test(tag)).map((tag) => `${file}: ${tag}`),
      ),
    );
    expect(missing).toEqual([]);
  });
});
