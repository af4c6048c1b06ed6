"""Turn sites into what people see: narratives, photos, maps, QR codes and signs."""
