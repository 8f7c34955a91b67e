# syntax=docker/dockerfile:1
# Build: docker build --build-arg VERSION=v0.1.0 -t switchboard .
# Run:   docker run -p 7880:7880 -p 7881:7881 -p 7882:7882/udp -v sbdata:/data \
#          -e SWITCHBOARD_KEYS=key:secret -e SWITCHBOARD_MEDIA_PUBLIC_IP=203.0.113.7 switchboard

FROM golang:1.26 AS build
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/switchboard ./cmd/switchboard \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/switchboard /usr/local/bin/switchboard
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV SWITCHBOARD_STORE_PATH=/data/switchboard.db
VOLUME /data
USER nonroot:nonroot
EXPOSE 7880/tcp 7881/tcp 7882/udp
ENTRYPOINT ["switchboard", "serve"]
