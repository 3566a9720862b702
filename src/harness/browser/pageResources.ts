/** What both harness pages fetch the way the platform would: text files, control bundles and resx strings. */

export async function text(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.text();
}

export function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
}

/** A control's resx file as context.resources.getString reads it: name → value. */
export async function loadResx(url: string): Promise<Map<string, string>> {
  const xml = new DOMParser().parseFromString(await text(url), "application/xml");
  return new Map(
    [...xml.querySelectorAll("data")].map((node) => [node.getAttribute("name") ?? "", node.querySelector("value")?.textContent ?? ""]),
  );
}
