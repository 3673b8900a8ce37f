import { useLayoutEffect, useRef } from "react";

/**
 * Text typed into an input of a page drawn at build time, before the app took
 * the page over. React leaves it on screen when it hydrates, but the state
 * does not hold it, so the next render would wipe it out: the input's ref
 * hands it to `onTyped` once, as the app takes over.
 */
export function useTypedEarly(current: string, onTyped: (text: string) => void) {
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    const typed = input.current?.value;
    if (typed !== undefined && typed !== current) onTyped(typed);
    // Once, at the first render: later changes come through onChange.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return input;
}
