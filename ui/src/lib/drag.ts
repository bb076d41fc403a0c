// Dragging a risk onto a heat map: the risk's id travels under its own type, so that text
// dragged from elsewhere is never taken for a risk.
export const RISK_MIME = "application/x-riskverkstad-risk";

export function dragRisk(e: DragEvent, id: string) {
  e.dataTransfer?.setData(RISK_MIME, id);
  if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
}
