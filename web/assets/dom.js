// Building DOM without innerHTML: every text from the API goes in as text, never as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.setAttribute('class', value);
    else if (name === 'text') element.textContent = value;
    else if (name.startsWith('on') && typeof value === 'function')
      element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** `h('p', {class: 'x'}, 'text', h('b', {}, 'bold'))` */
export const h = (tag, attributes, ...children) =>
  fill(document.createElement(tag), attributes, children);

/** The same for SVG elements. */
export const s = (tag, attributes, ...children) =>
  fill(document.createElementNS(SVG_NS, tag), attributes, children);

/** Replaces an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  return fill(element, {}, children);
}

/** A paragraph saying there is nothing to show. */
export const none = (text = 'None.') => h('p', { class: 'empty' }, text);
