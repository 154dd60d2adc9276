/** The lines that fence a generated block in a Markdown file: `<!-- tools:start -->` ... `<!-- tools:end -->`. */
export function blockMarkers(block: string): { start: string; end: string } {
  return { start: `<!-- ${block}:start -->`, end: `<!-- ${block}:end -->` };
}

/** The file with the block between its markers replaced by `content`, blank lines around it. */
export function replaceBlock(markdown: string, block: string, content: string): string {
  const { start, end } = blockMarkers(block);
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from === -1 || to === -1 || to < from)
    throw new Error(`no ${start} ... ${end} block to write the generated text into`);
  if (markdown.indexOf(start, from + start.length) !== -1)
    throw new Error(`more than one ${start} block`);
  return `${markdown.slice(0, from)}${start}\n\n${content}\n\n${markdown.slice(to)}`;
}
