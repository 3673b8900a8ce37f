import { act, useState } from "react";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";

import { useTypedEarly } from "./typedEarly";

function Search({ onSearch }: { onSearch: (text: string) => void }) {
  const [text, setText] = useState("");
  const input = useTypedEarly(text, (typed) => {
    setText(typed);
    onSearch(typed);
  });
  return (
    <input
      ref={input}
      aria-label="Search"
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        onSearch(event.currentTarget.value);
      }}
    />
  );
}

describe("useTypedEarly", () => {
  it("keeps what a visitor typed into the drawn page before the app took it over", async () => {
    const container = document.createElement("div");
    container.innerHTML = renderToString(<Search onSearch={() => {}} />);
    document.body.append(container);
    container.querySelector("input")!.value = "tromso"; // typed before any script ran
    const searched: string[] = [];
    const root = await act(async () => hydrateRoot(container, <Search onSearch={(t) => searched.push(t)} />));
    expect(searched).toEqual(["tromso"]);
    expect(container.querySelector("input")!.value).toBe("tromso");
    act(() => root.unmount());
    container.remove();
  });

  it("hands nothing on when nothing was typed", async () => {
    const container = document.createElement("div");
    container.innerHTML = renderToString(<Search onSearch={() => {}} />);
    const searched: string[] = [];
    const root = await act(async () => hydrateRoot(container, <Search onSearch={(t) => searched.push(t)} />));
    expect(searched).toEqual([]);
    act(() => root.unmount());
  });
});
