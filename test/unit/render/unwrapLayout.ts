// Undoes what webview/render/streamView.ts adds for layout (segments, runs, list and table continuations), so the
// page can be compared with a full render of the same text.

export function unwrapLayout(root: Element): void {
  for (const wrapper of Array.from(root.querySelectorAll('.md-seg, .md-run'))) wrapper.replaceWith(...Array.from(wrapper.childNodes));
  for (const part of Array.from(root.querySelectorAll('.md-cont'))) {
    const first = part.previousElementSibling!;
    const into = first.localName === 'table' ? first.querySelector('tbody')! : first;
    into.append(...Array.from((part.localName === 'table' ? part.querySelector('tbody')! : part).childNodes));
    part.remove();
  }
  for (const part of Array.from(root.querySelectorAll('.md-split'))) {
    part.classList.remove('md-split');
    if (!part.classList.length) part.removeAttribute('class');
  }
}
