// Fills the reply box from the chosen template (no library, no CDN).
document.querySelectorAll("[data-inbox-templates]").forEach((select) => {
  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    const box = document.querySelector("[data-inbox-reply-text]");
    if (option && option.dataset.text && box && !box.value.trim()) box.value = option.dataset.text;
  });
});
