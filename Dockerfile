# The portal as a container: a static binary (CGO_ENABLED=0) on a distroless base, running as a user without
# privileges. The binary is built by `make static`, the same target `make check` runs in CI, so the image's
# build and the checked build cannot drift apart. Build: docker build -t yubei-portal .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN make static
# The upload folder, owned by the user the portal runs as (a named volume mounted there keeps this owner).
RUN mkdir -p /out/data/uploads

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/bin/portal-static /portal
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV PORTAL_ADDR=0.0.0.0:8080 PORTAL_UPLOAD_DIR=/data/uploads
EXPOSE 8080
VOLUME /data
ENTRYPOINT ["/portal"]
CMD ["serve"]
