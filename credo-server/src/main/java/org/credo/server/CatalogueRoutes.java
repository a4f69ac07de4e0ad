package org.credo.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.EnumSet;
import java.util.List;
import org.credo.app.catalogue.RecordCatalogue;
import org.credo.app.wire.CatalogueWire;

/**
 * The active record-type catalogue: open to anyone, since every subject may read which types Credo
 * may hold about them and on what legal basis. Under {@code /v1}.
 */
final class CatalogueRoutes {
  private final RecordCatalogue catalogue;

  CatalogueRoutes(RecordCatalogue catalogue) {
    this.catalogue = requireNonNull(catalogue, "catalogue is null");
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HandlerType.GET,
            "/catalogue",
            EnumSet.of(ApiRole.ANYONE),
            "The active record-type catalogue: every type Credo may hold, its legal basis,"
                + " retention and attribute schema",
            List.of(),
            List.of(),
            List.of(404),
            this::catalogue));
  }

  private void catalogue(Context ctx) {
    var active =
        catalogue
            .active()
            .orElseThrow(() -> new ApiException(404, "not_found", "no catalogue is active"));
    Http.send(ctx, 200, CatalogueWire.of(active));
  }
}
