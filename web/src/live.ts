/**
 * Live updates: one EventSource on /_pipewright/console/events for the whole page, which says
 * which pipeline's run state changed (the server's commit hook). Views refetch on an event and
 * poll slowly as a fallback (changes committed by another process send no event).
 */
type Listener = (region: string, pipeline: string) => void;

const listeners = new Set<Listener>();
let source: EventSource | undefined;

export function onPipelineChange(listener: Listener): () => void {
  listeners.add(listener);
  if (!source) {
    source = new EventSource("/_pipewright/console/events");
    source.onmessage = (event) => {
      const { region, pipeline } = JSON.parse(event.data as string) as { region: string; pipeline: string };
      for (const l of listeners) l(region, pipeline);
    };
  }
  return () => {
    listeners.delete(listener);
  };
}

/** Whether events are arriving now (else views poll every second). */
export function liveConnected(): boolean {
  return source?.readyState === EventSource.OPEN;
}

/** Closes the stream (on sign-out: the server has forgotten the session). */
export function closeLive(): void {
  source?.close();
  source = undefined;
}
